#ifndef TEAMPULSE_CXLSXWRITER_SHIM_H
#define TEAMPULSE_CXLSXWRITER_SHIM_H
// libxlsxwriter from Debian's libxlsxwriter-dev (`apt-get install libxlsxwriter-dev`), for summary.xlsx.
#include <xlsxwriter.h>
#endif
