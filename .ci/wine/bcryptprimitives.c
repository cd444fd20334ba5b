/*
 * A stand-in for Windows' bcryptprimitives.dll, which Go's runtime (1.22
 * and later) loads for ProcessPrng and which Debian 12's Wine 8 lacks.
 * Built with x86_64-w64-mingw32-gcc and put in the Wine prefix's
 * system32 by `make test-windows`; never shipped. ProcessPrng fills the
 * buffer from RtlGenRandom, which Wine provides.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
