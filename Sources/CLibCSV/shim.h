#ifndef TEAMPULSE_CLIBCSV_SHIM_H
#define TEAMPULSE_CLIBCSV_SHIM_H
// libcsv from Debian's libcsv-dev (`apt-get install libcsv-dev`).
#include <csv.h>
#endif
