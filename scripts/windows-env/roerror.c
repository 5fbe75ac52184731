/* roerror.c: stand-in RoOriginateErrorW linked into Windows test binaries built for Wine 8.
 *
 * windows-result's Error::new(code, message) calls RoOriginateErrorW (imported from
 * api-ms-win-core-winrt-error-l1-1-0.dll). Wine 8 maps that API set to combase.dll, where
 * the function is an unimplemented stub: calling it aborts the whole test binary. A native
 * DLL cannot replace it (Wine resolves API sets before looking for files), so instead
 * wine-mingw-gcc.sh links this object ahead of the Rust code: it defines the function and
 * its __imp_ pointer, and the linker then never pulls the import from the API set.
 *
 * Like Windows, it leaves an error object on the thread whose description is the message,
 * so GetErrorInfo (and so Error::message()) sees the text. Only for Wine test runs.
 */
#define COBJMACROS
#include <windows.h>
#include <oleauto.h>

/* IID_IErrorInfo, defined here so libuuid is not needed. */
static const GUID vss_IID_IErrorInfo =
    {0x1cf2b120, 0x547d, 0x101b, {0x8e, 0x65, 0x08, 0x00, 0x2b, 0x2b, 0xd1, 0x19}};

BOOL WINAPI RoOriginateErrorW(HRESULT code, UINT cch, const WCHAR *message)
{
    ICreateErrorInfo *create;
    IErrorInfo *info;
    WCHAR text[512];

    if (SUCCEEDED(code))
        return FALSE;
    if (!message)
        cch = 0;
    else if (cch == 0)
        cch = lstrlenW(message);
    if (cch >= ARRAYSIZE(text)) /* truncate to fit */
        cch = ARRAYSIZE(text) - 1;
    if (cch)
        memcpy(text, message, cch * sizeof(WCHAR));
    text[cch] = 0;

    if (FAILED(CreateErrorInfo(&create)))
        return FALSE;
    ICreateErrorInfo_SetDescription(create, text);
    if (SUCCEEDED(ICreateErrorInfo_QueryInterface(create, &vss_IID_IErrorInfo, (void **)&info))) {
        SetErrorInfo(0, info);
        IErrorInfo_Release(info);
    }
    ICreateErrorInfo_Release(create);
    return TRUE;
}

/* What a dllimport call goes through; defining it keeps the import library's entry out. */
BOOL (WINAPI *__imp_RoOriginateErrorW)(HRESULT, UINT, const WCHAR *) = RoOriginateErrorW;
