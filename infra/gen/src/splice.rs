//! Generated blocks inside a hand-written file: the lines strictly between
//! `# >>> generated: <name> …` and `# <<< generated: <name>` are owned by the generator.

/// The begin marker's prefix of block `name` (the rest of the line is free text).
pub fn begin_marker(name: &str) -> String {
    format!("# >>> generated: {name}")
}

/// The end marker of block `name`.
pub fn end_marker(name: &str) -> String {
    format!("# <<< generated: {name}")
}

/// Line range (exclusive of both markers) of block `name`: `(first body line, end marker line)`.
fn block_range(lines: &[&str], name: &str) -> Result<(usize, usize), String> {
    let begin = begin_marker(name);
    let end = end_marker(name);
    let starts: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with(&begin)).map(|(i, _)| i).collect();
    let ends: Vec<usize> = lines.iter().enumerate().filter(|(_, l)| l.trim() == end).map(|(i, _)| i).collect();
    match (starts.as_slice(), ends.as_slice()) {
        ([s], [e]) if s < e => Ok((s + 1, *e)),
        ([], _) | (_, []) => Err(format!("block {name:?}: marker missing")),
        _ => Err(format!("block {name:?}: markers duplicated or out of order")),
    }
}

/// The current body of block `name` in `text`.
pub fn extract(text: &str, name: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let (from, to) = block_range(&lines, name)?;
    Ok(lines[from..to].iter().map(|l| format!("{l}\n")).collect())
}

/// `text` with the body of block `name` replaced by `body` (which ends with a newline or is
/// empty).
pub fn replace(text: &str, name: &str, body: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let (from, to) = block_range(&lines, name)?;
    let mut out = String::with_capacity(text.len() + body.len());
    for l in &lines[..from] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(body);
    for l in &lines[to..] {
        out.push_str(l);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_the_block() {
        let text = "a:\n  # >>> generated: x (do not edit)\n  old: 1\n  # <<< generated: x\nb: 2\n";
        assert_eq!(extract(text, "x").as_deref(), Ok("  old: 1\n"));
        let new = replace(text, "x", "  new: 2\n  more: 3\n").expect("replaced");
        assert_eq!(new, "a:\n  # >>> generated: x (do not edit)\n  new: 2\n  more: 3\n  # <<< generated: x\nb: 2\n");
        assert_eq!(
            replace(&new, "x", "").expect("emptied"),
            "a:\n  # >>> generated: x (do not edit)\n  # <<< generated: x\nb: 2\n"
        );
    }

    #[test]
    fn rejects_broken_markers() {
        assert!(extract("# >>> generated: x\n", "x").is_err());
        assert!(extract("# <<< generated: x\n# >>> generated: x\n", "x").is_err());
        assert!(extract("# >>> generated: x\n# >>> generated: x\n# <<< generated: x\n", "x").is_err());
        assert!(extract("# >>> generated: y\n# <<< generated: y\n", "x").is_err());
    }
}
