//! Cleaning what a member typed before it goes into a document.

/// Trims the text and folds every run of white space (including newlines)
/// into one space, so "  Bed   3 " and "Bed 3" are the same label.
pub fn clean_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length as a member counts it: characters, not bytes.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_spaces_and_counts_characters() {
        assert_eq!(clean_line("  Bed \t  3\n"), "Bed 3");
        assert_eq!(clean_line("   "), "");
        assert_eq!(char_len("菜园"), 2);
        assert_eq!(char_len("Jardín"), 6);
    }
}
