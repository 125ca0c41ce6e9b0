package sqlshell

import "strings"

// statement is one SQL statement of a script and where it starts, so that
// a position DuckDB reports in it can be shown in the script.
type statement struct {
	text   string
	offset int // byte offset of text in the script
}

// split cuts a script into statements at semicolons outside quotes,
// dollar-quoted strings and comments. Empty statements are dropped. The
// last statement may lack its semicolon; complete reports whether the
// script ends outside any statement (after a semicolon or with only
// whitespace and comments since), which the interactive shell uses to
// know when to run what was typed.
func split(script string) (stmts []statement, complete bool) {
	start := 0
	emit := func(end int) {
		text := script[start:end]
		if trimmed := strings.TrimSpace(stripComments(text)); trimmed != "" {
			lead := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
			stmts = append(stmts, statement{text: strings.TrimRight(text[lead:], " \t\r\n"), offset: start + lead})
		}
	}
	i := 0
	for i < len(script) {
		c := script[i]
		switch {
		case c == '\'' || c == '"':
			i = skipQuoted(script, i, c, i > 0 && (script[i-1] == 'E' || script[i-1] == 'e') && c == '\'')
		case c == '-' && strings.HasPrefix(script[i:], "--"):
			if nl := strings.IndexByte(script[i:], '\n'); nl >= 0 {
				i += nl + 1
			} else {
				i = len(script)
			}
		case c == '/' && strings.HasPrefix(script[i:], "/*"):
			if end := strings.Index(script[i+2:], "*/"); end >= 0 {
				i += end + 4
			} else {
				return appendRest(stmts, script, start), false
			}
		case c == '$':
			tag := dollarTag(script[i:])
			if tag == "" {
				i++
				break
			}
			if end := strings.Index(script[i+len(tag):], tag); end >= 0 {
				i += len(tag) + end + len(tag)
			} else {
				return appendRest(stmts, script, start), false
			}
		case c == ';':
			emit(i)
			i++
			start = i
		default:
			i++
		}
		if i > len(script) { // an unterminated quote ran off the end
			return appendRest(stmts, script, start), false
		}
	}
	rest := strings.TrimSpace(stripComments(script[start:]))
	emit(len(script))
	return stmts, rest == ""
}

// appendRest adds the unterminated tail of a script as a statement.
func appendRest(stmts []statement, script string, start int) []statement {
	text := script[start:]
	lead := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
	if strings.TrimSpace(text) == "" {
		return stmts
	}
	return append(stmts, statement{text: strings.TrimRight(text[lead:], " \t\r\n"), offset: start + lead})
}

// skipQuoted returns the index after the quoted string or identifier that
// starts at i; a doubled quote is an escaped one, and in E'…' strings a
// backslash escapes the next byte. An unterminated quote returns
// len(s)+1.
func skipQuoted(s string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(s); j++ {
		switch {
		case backslash && s[j] == '\\':
			j++
		case s[j] == q && j+1 < len(s) && s[j+1] == q:
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return len(s) + 1
}

// dollarTag returns the $tag$ that opens a dollar-quoted string at the
// start of s, or "" when s does not start one ($1 is a parameter).
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1]
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9':
		default:
			return ""
		}
	}
	return ""
}

// stripComments removes -- and /* */ comments outside quotes, for
// deciding whether a piece of script holds any statement.
func stripComments(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\'' || s[i] == '"':
			j := skipQuoted(s, i, s[i], false)
			if j > len(s) {
				j = len(s)
			}
			b.WriteString(s[i:j])
			i = j
		case strings.HasPrefix(s[i:], "--"):
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return b.String()
			}
			i += nl
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 4
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

// firstKeyword is the statement's first word in upper case, after
// comments and opening parentheses ("(" itself for a parenthesised query).
func firstKeyword(text string) string {
	s := strings.TrimSpace(stripComments(text))
	if strings.HasPrefix(s, "(") {
		return "("
	}
	end := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	})
	if end < 0 {
		end = len(s)
	}
	return strings.ToUpper(s[:end])
}
