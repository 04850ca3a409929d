#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro over inflateInit2_; Swift does not import function-like macros. */
static inline int czlib_inflate_init_gzip(z_streamp strm) {
    /* 15 + 32: zlib or gzip header, detected automatically. */
    return inflateInit2(strm, 15 + 32);
}
#endif
