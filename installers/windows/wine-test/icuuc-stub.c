/* TEST-ONLY — NEVER SHIPPED. A stand-in for Windows' own icuuc.dll, for running svdesk under Wine 8 only.
 *
 * Qt 6.11's Qt6Core.dll imports these ucnv_* functions from the icuuc.dll that Windows 10 1703+ and 11 carry in
 * system32. Wine 8 has no such DLL, so Qt6Core.dll would not load at all. installers/windows/build-on-linux.sh
 * compiles this file with mingw into the *test Wine prefix's* system32 (never into dist/, build/ or the
 * installer; installers/windows/check_test_only.py proves it). Every converter fails to open, so Qt falls back
 * to its own codecs (UTF-8, UTF-16, Latin-1), which is all svdesk uses.
 *
 * The marker string below lets check_test_only.py find this DLL's bytes under any name.
 */
#include <stddef.h>

#define EXPORT __declspec(dllexport)
#define U_FILE_ACCESS_ERROR 4

EXPORT const char svdesk_wine_test_only_marker[] = "SVDESK-WINE-TEST-ONLY: icuuc stub, never ship";

EXPORT void *ucnv_open(const char *name, int *err) { (void)name; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int n) { (void)n; return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, int *err)
{ (void)name; (void)standard; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
EXPORT const char *ucnv_getName(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return NULL; }
EXPORT signed char ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
/* Never reached (no converter ever opens); they exist so that Qt6Core.dll's imports resolve. */
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void ucnv_getToUCallBack(void) {}
EXPORT void ucnv_getFromUCallBack(void) {}
EXPORT void ucnv_setToUCallBack(void *c, void *a, void *b, void *d, void *e, int *err) { (void)c; (void)a; (void)b; (void)d; (void)e; if (err) *err = U_FILE_ACCESS_ERROR; }
EXPORT void ucnv_setFromUCallBack(void *c, void *a, void *b, void *d, void *e, int *err) { (void)c; (void)a; (void)b; (void)d; (void)e; if (err) *err = U_FILE_ACCESS_ERROR; }
EXPORT void ucnv_cbToUWriteUChars(void) {}
EXPORT void ucnv_cbFromUWriteUChars(void) {}
EXPORT void ucnv_toUnicode(void) {}
EXPORT void ucnv_fromUnicode(void) {}
EXPORT int ucnv_toUCountPending(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return 0; }
EXPORT int ucnv_fromUCountPending(const void *cnv, int *err) { (void)cnv; if (err) *err = U_FILE_ACCESS_ERROR; return 0; }
