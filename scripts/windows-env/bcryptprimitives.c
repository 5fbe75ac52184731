/* bcryptprimitives.c: stand-in bcryptprimitives.dll for Wine 8, exporting ProcessPrng.
 *
 * Rust std >= 1.78 imports ProcessPrng from bcryptprimitives.dll to seed its RNG.
 * Wine 8 has no such DLL, so every Rust .exe fails to load (c0000135). This DLL
 * provides the one export, filled by RtlGenRandom (advapi32!SystemFunction036),
 * which Wine implements. setup.sh builds it with mingw and copies it into the
 * Wine prefix's system32. Not meant for real Windows, which ships the real DLL.
 */
#include <windows.h>

/* RtlGenRandom; declared here so no extra header (ntsecapi.h) is needed. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData): always TRUE on Windows. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000u ? 0x40000000u : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
