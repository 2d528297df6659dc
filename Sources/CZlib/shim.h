#ifndef TEAMPULSE_CZLIB_SHIM_H
#define TEAMPULSE_CZLIB_SHIM_H
// zlib from Debian's zlib1g-dev, for reading gzip-compressed inputs (.csv.gz).
#include <zlib.h>
#endif
