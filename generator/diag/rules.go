package diag

import "strings"

// RuleDoc documents one diagnostic code: what it means in a sentence and
// where the reference says more.
type RuleDoc struct {
	// Code is the diagnostic code (Diagnostic.Code).
	Code string
	// Summary says in one sentence what the rule finds.
	Summary string
	// Doc is the page and heading anchor of the rule's reference, relative
	// to docs/ (e.g. "check.md#unknown-field").
	Doc string
}

// RuleDocs returns the documentation of every diagnostic code cairn
// reports, in the order of docs/check.md. The slice is new on each call.
// A test keeps it and docs/check.md in step.
func RuleDocs() []RuleDoc {
	return []RuleDoc{
		{"toml-syntax", "A TOML file (an item, org.toml, cairn.toml, access.toml, a schema, or front matter) cannot be read: bad syntax, a key defined twice, an impossible date, bytes that are not UTF-8.", "check.md#toml-syntax"},
		{"unknown-field", "A key that the item's type (or the settings file) does not have.", "check.md#unknown-field"},
		{"wrong-type", "A value in cairn.toml or access.toml of the wrong TOML type.", "check.md#wrong-type"},
		{"missing-field", "A required field is not set, or is blank.", "check.md#missing-field"},
		{"missing-title", "A document, checklist or checklist template without a title in its front matter.", "check.md#missing-title"},
		{"invalid-value", "A value that its field's kind does not allow (a date, number, select option, IP address, URL, email, phone number, checkbox...).", "check.md#invalid-value"},
		{"plaintext-secret", "A secret written in plain TOML: a value for a password-kind field, or a password or otp_secret key.", "check.md#plaintext-secret"},
		{"broken-link", "A link whose target does not exist: a tag field, a related entry, a wiki link, a relative Markdown link, an upload field, a checklist's template.", "check.md#broken-link"},
		{"broken-anchor", "A #heading anchor that the link's target has no heading for.", "check.md#broken-anchor"},
		{"wrong-target", "A tag field that points to an item of a type its schema's targets do not allow.", "check.md#wrong-target"},
		{"cross-org", "A link from one organization into another that is not shared.", "check.md#cross-org"},
		{"bad-slug", "A file or folder name, a link target, or a group or portal name that is not a slug (lower-case letters, digits, single hyphens).", "check.md#bad-slug"},
		{"bad-path", "A relative link or upload path that is absolute or leaves the site's content.", "check.md#bad-path"},
		{"duplicate-id", "Two files with the same id.", "check.md#duplicate-id"},
		{"unknown-type", "A folder in an organization that is no type folder.", "check.md#unknown-type"},
		{"stray-file", "A file where cairn expects none.", "check.md#stray-file"},
		{"missing-org", "An organization folder without org.toml.", "check.md#missing-org"},
		{"orphan-secrets", "A secrets file (<slug>.sops.yaml) with no item beside it.", "check.md#orphan-secrets"},
		{"front-matter", "A document or checklist without front matter, or with front matter that is never closed.", "check.md#front-matter"},
		{"access", "access.toml names something that does not exist, or a portal, group or item's access is incomplete.", "check.md#access"},
		{"schema", "A flexible asset type's schema (schemas/<type>.toml) that is not valid.", "check.md#schema"},
		{"expired", "A date field marked expires = true (warranty, domain or certificate expiry, review date) that has passed.", "check.md#expired-warning"},
		{"empty-checklist", "A checklist template with no tasks.", "check.md#empty-checklist-warning"},
		{"secret-leak", "A secret written in plain text, found by the leaks rules.", "check.md#secret-leak"},
		{"leaks-limit", "A text file longer than the 4 MiB scanned for secrets.", "check.md#leaks-limit-warning"},
		{"leaks-config", "The site's leaks.toml cannot be read or has a rule or allowlist that is not valid.", "secrets.md#leak-rules"},
		{"secrets-file", "A secrets file that is not a sound SOPS file: not YAML, not encrypted, a value in plain text, no recipients or MAC.", "check.md#secrets-file"},
		{"secrets-mac", "A secrets file that does not decrypt or whose MAC does not match: it was changed without the key, or is damaged.", "check.md#secrets-file"},
		{"secrets-keys", "The age keys could not be loaded, so secrets files were not verified.", "check.md#secrets-file"},
		{"secrets-recipients", "A secrets file whose recipients differ from those its creation rule in .sops.yaml names.", "check.md#secrets-recipients"},
		{"unknown-secret", "A key in a secrets file that is not a password-kind field of its item.", "check.md#unknown-secret"},
		{"missing-secrets", "A password item without a secrets file beside it.", "check.md#missing-secrets-warning"},
		{"read", "A file that exists but cannot or will not be read: permissions, a symbolic link out of the site, a special file.", "check.md#read"},
		{"too-large", "A file or a value over cairn's size limits.", "check.md#too-large"},
		{"markdown", "Markdown that is not valid UTF-8, or whose shape exceeds a limit.", "check.md#markdown"},
		{"codeowners-stale", "A CODEOWNERS file cairn wrote that no longer matches access.toml.", "check.md#codeowners-stale-warning"},
		// The advisor's best-practice rules (generator/advisor), documented
		// in docs/advisor.md and listed in docs/check.md#advisor-rules.
		{"data-in-document", "An IP or MAC address, phone number, email address or an item's serial number written in a document's text instead of linked from the item that holds it.", "advisor.md#data-in-document"},
		{"duplicate-data", "The same IP address, MAC address, serial number or phone number in two items of one organization.", "advisor.md#duplicate-data"},
		{"documents-before-assets", "An organization with documents but no configurations, contacts or locations.", "advisor.md#documents-before-assets"},
		{"unlinked-password", "A general password that is related to nothing and that nothing links to.", "advisor.md#unlinked-password"},
		{"duplicate-password-title", "Two password items with the same title in one organization.", "advisor.md#duplicate-password-title"},
		{"embedded-password", "A password kept in a type other than passwords (an embedded password field); off by default.", "advisor.md#embedded-password"},
		{"shared-secret", "One secret value used by several items of an organization, found with a key by comparing hashes.", "advisor.md#shared-secret"},
		{"type-not-listed", "A flexible type with no field shown in lists.", "advisor.md#type-not-listed"},
		{"unused-type", "A flexible type that no organization uses.", "advisor.md#unused-type"},
		{"similar-types", "Two flexible types whose fields are nearly the same.", "advisor.md#similar-types"},
		{"checklist-without-sop", "A checklist or checklist template that links to no document (SOP).", "advisor.md#checklist-without-sop"},
		{"restricted-share", "More than a set share of an organization's items carry their own access restriction.", "advisor.md#restricted-share"},
		{"group-sees-all", "A group that sees every organization and every secret.", "advisor.md#group-sees-all"},
		{"user-without-group", "A user in no group of access.toml.", "advisor.md#user-without-group"},
		{"unsealed-passwords", "A portal whose audience may see passwords but whose secrets are not sealed.", "advisor.md#unsealed-passwords"},
		{"naming", "An item whose title does not match the naming convention the site declares for its type.", "advisor.md#naming"},
		{"advisor-config", "A mistake in cairn.toml's [advisor] table or in a suppression: an unknown rule or severity, a bad pattern, a suppression without a reason or that covers no finding.", "advisor.md#advisor-config"},
	}
}

// ruleDoc returns the documentation of code, or a generic one for a code
// RuleDocs does not list.
func ruleDoc(code string) RuleDoc {
	for _, r := range RuleDocs() {
		if r.Code == code {
			return r
		}
	}
	return RuleDoc{Code: code, Summary: "cairn check rule " + code + ".", Doc: "check.md#rules"}
}

// HeadingAnchor returns GitHub's anchor of a Markdown heading, the form
// RuleDoc.Doc names its section in: lower case, punctuation dropped,
// spaces to hyphens.
func HeadingAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}
