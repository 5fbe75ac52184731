//! Reads the values an SDK header defines: every `#define NAME <…>0x<hex>` line, as the
//! header writes it (`_HRESULT_TYPEDEF_(0x80042306L)`, `((HRESULT)0x8000FFFFL)`, …).

/// Each `#define`d name and its hexadecimal value, in header order.
pub fn defines(text: &str) -> impl Iterator<Item = (&str, u32)> {
    text.lines().filter_map(|line| {
        let mut parts = line.split_whitespace();
        if parts.next() != Some("#define") {
            return None;
        }
        let (sym, rest) = (parts.next()?, parts.next()?);
        let hex = rest.split("0x").nth(1)?;
        let end = hex
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(hex.len());
        u32::from_str_radix(&hex[..end], 16).ok().map(|v| (sym, v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_define_with_a_hex_value() {
        let text = "#define VSS_E_PROVIDER_VETO _HRESULT_TYPEDEF_(0x80042306L)\n\
                    #define E_UNEXPECTED ((HRESULT)0x8000FFFFL)\n\
                    #define NOT_HEX 42\n\
                    // #define COMMENTED 0x1\n\
                    #define EMPTY\n\
                    #define S_FALSE 0x1";
        let got: Vec<(&str, u32)> = defines(text).collect();
        assert_eq!(
            got,
            [
                ("VSS_E_PROVIDER_VETO", 0x8004_2306),
                ("E_UNEXPECTED", 0x8000_FFFF),
                ("S_FALSE", 1)
            ]
        );
    }
}
