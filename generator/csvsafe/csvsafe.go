// Package csvsafe keeps the cells of the CSV files cairn writes from being
// run as formulas by the spreadsheet that opens them: a value from a pull
// request such as "=HYPERLINK(...)" must read as text (CSV injection).
package csvsafe

import "strings"

// Risky reports whether a spreadsheet would take s for a formula or
// rewrite it: it starts with =, +, -, @, a tab or a carriage return.
func Risky(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// Cell returns s, with a leading apostrophe when it is Risky: spreadsheets
// show such a cell as the text after the apostrophe.
func Cell(s string) string {
	if Risky(s) {
		return "'" + s
	}
	return s
}
