package leaks

import (
	"fmt"
	"strings"
	"testing"
)

// Fake secrets planted in the forms below: obvious fakes, assembled so
// that this file trips no scanner on the forge.
var (
	fakePass = j("Fake", "-Pass-1")
	fakeWifi = j("Fake", "-Wifi-42")
	fakePIN  = "4711"
	fakeGL   = j("gl", "pat-", "FakeFakeFakeFake1234")
	fakeXapp = j("xa", "pp-1-", "A0FAKE-1234567890-", "fakefakefakefakefake00")
	fakeSAK  = j("FakeSharedAccessKey", "0123456789abcdefABCDEF012345=")
	// fakeBitLocker is eight groups of six digits, the shape of a recovery key.
	fakeBitLocker = strings.Repeat("111111-", 7) + "111111"
	fakeOTP       = j("FAKEFAKE", "FAKEFAKE")
)

// form is one way a secret is written, with where the finding must be:
// on line, at the column of secret's first occurrence in that line.
type form struct {
	name, rule, path, text string
	line                   int
	secret                 string
}

// formOthers are the findings of other rules expected before a form's
// own ("rule@line:col,"): an AWS key id is a finding of its own.
var formOthers = map[string]string{
	"AWS credentials file": "aws-access-key-id@2:21,",
	"AWS keys CSV":         "aws-access-key-id@2:1,",
}

func (f form) col() int {
	return strings.Index(strings.Split(f.text, "\n")[f.line-1], f.secret) + 1
}

const (
	doc  = "content/acme/documents/doc.md"
	cfg  = "content/acme/configurations/sv1.toml"
	pwd  = "content/acme/passwords/fw.toml"
	file = "content/acme/files/notes.txt"
	sch  = "schemas/wifi.toml"
)

// forms are the ways of writing a secret that issue 8 found missed: one
// row per form, each must be reported by its rule at the secret.
var forms = []form{
	{"pw:", "password-in-text", doc, "Firewall pw: " + fakePass, 1, fakePass},
	{"Passwort:", "password-in-text", doc, "Passwort: " + fakePass, 1, fakePass},
	{"Kennwort:", "password-in-text", doc, "- **Kennwort:** " + fakePass, 1, fakePass},
	{"Mot de passe :", "password-in-text", doc, "Mot de passe : " + fakePass, 1, fakePass},
	{"passphrase", "password-in-text", doc, "Backup passphrase: " + fakePass, 1, fakePass},
	{"Pwd= in a connection string", "password-in-text", cfg, `notes = "Server=sql1;Uid=sa;Pwd=` + fakePass + `;"`, 1, fakePass},
	{"URL with credentials", "url-credentials", doc, "Console: https://admin:" + fakePass + "@fw.example.test/", 1, fakePass},
	{"URL in a password item's url", "url-credentials", pwd, "username = \"admin\"\nurl = \"https://admin:" + fakePass + "@fw.example.test/\"", 2, fakePass},
	{"URL with empty user", "url-credentials", file, "redis://:" + fakePass + "@cache.example.test:6379/0", 1, fakePass},
	{"value on the next line", "password-next-line", doc, "Password:\n" + fakePass + "\n", 2, fakePass},
	{"value after a blank line, in code", "password-next-line", doc, "**Admin password:**\n\n`" + fakePass + "`\n", 3, fakePass},
	{"value in a fenced block", "password-next-line", doc, "Kennwort:\n```\n" + fakePass + "\n```", 3, fakePass},
	{"value in a definition list", "password-next-line", doc, "PIN\n: " + fakePIN, 2, fakePIN},
	{"next line in TOML notes", "password-next-line", cfg, "notes = \"\"\"\nLocal admin password:\n  " + fakePass + "\n\"\"\"", 3, fakePass},
	{"table with a password column", "password-table", doc, "| User | Password |\n|------|----------|\n| admin | " + fakePass + " |", 3, fakePass},
	{"table, letters-only cell", "password-table", doc, "| Account | PW | Notes |\n| --- | --- | --- |\n| root | `Sonnenblume` | old |", 3, "Sonnenblume"},
	{"table without outer pipes", "password-table", doc, "User | WLAN key\n---- | ----\nguest | " + fakeWifi, 3, fakeWifi},
	{"mysql -p", "mysql-password", doc, "    mysql -u root -p" + fakePass + " crm", 1, fakePass},
	{"mysqldump -p'...'", "mysql-password", doc, "mysqldump -uroot -p'" + fakePass + "' crm > crm.sql", 1, fakePass},
	{"--password=", "cli-password-option", doc, "mongodump --host db1 --password=" + fakePass + " --out /bak", 1, fakePass},
	{"--password VALUE", "cli-password-option", doc, "vault login --password " + fakePass, 1, fakePass},
	{"openssl pass:", "cli-password-option", doc, "openssl pkcs12 -export -in c.pem -passout pass:" + fakePass, 1, fakePass},
	{"PGPASSWORD=", "env-password", doc, "PGPASSWORD=" + fakePass + " psql -h db1 -U app", 1, fakePass},
	{"compose environment", "env-password", file, "  MYSQL_ROOT_PASSWORD: \"" + fakePass + "\"", 1, fakePass},
	{"sshpass -p", "cli-password-flag", doc, "sshpass -p '" + fakePass + "' ssh admin@sw1", 1, fakePass},
	{"sqlcmd -P", "cli-password-flag", doc, "sqlcmd -S sql1 -U sa -P " + fakePass, 1, fakePass},
	{"ldapsearch -w", "cli-password-flag", doc, "ldapsearch -x -D cn=admin -w " + fakePass + " -b dc=x", 1, fakePass},
	{"net use /user: then password", "net-use-password", doc, `net use Z: \\fs01\data /user:CORP\admin ` + fakePass, 1, fakePass},
	{"net use password then /user:", "net-use-password", doc, `net use \\fs01\ipc$ ` + fakePass + ` /user:admin`, 1, fakePass},
	{"net user", "net-use-password", doc, `net user svc-backup ` + fakePass + ` /add`, 1, fakePass},
	{"curl -u user:pass", "cli-user-password", doc, "curl -u admin:" + fakePass + " https://api.example.test/", 1, fakePass},
	{"smbclient -U user%pass", "cli-user-password", doc, "smbclient //fs01/data -U admin%" + fakePass, 1, fakePass},
	{"login admin / pass", "login-password", doc, "login admin / pass " + fakePass, 1, fakePass},
	{"Login: / Passwort:", "login-password", doc, "Login: admin / Passwort: " + fakePass, 1, fakePass},
	{"user/pass: a/b", "login-password", doc, "user/pass: admin/" + fakePass, 1, fakePass},
	{"WLAN key:", "wifi-key", doc, "WLAN key: " + fakeWifi, 1, fakeWifi},
	{"Wi-Fi password without colon", "wifi-key", doc, "Guest Wi-Fi password " + fakeWifi, 1, fakeWifi},
	{"PSK:", "wifi-key", cfg, `notes = "PSK: ` + fakeWifi + `"`, 1, fakeWifi},
	{"WLAN-Schlüssel", "wifi-key", doc, "Der WLAN-Schlüssel lautet " + fakeWifi, 1, fakeWifi},
	{"PIN:", "pin-in-text", doc, "SIM card PIN: " + fakePIN, 1, fakePIN},
	{"PIN in prose", "pin-in-text", doc, "The printer PIN is " + fakePIN + ".", 1, fakePIN},
	{"alarm code", "pin-in-text", doc, "Alarm code " + fakePIN + ", then the key safe.", 1, fakePIN},
	{"schema hint", "wifi-key", sch, "[[fields]]\nname = \"ssid\"\nhint = \"Guest network, WLAN key: " + fakeWifi + "\"", 3, fakeWifi},
	{"schema default", "password-in-text", sch, "[[fields]]\nname = \"notes\"\ndefault = \"admin pw: " + fakePass + "\"", 3, fakePass},
	{"schema options", "url-credentials", sch, "[[fields]]\noptions = [\"https://svc:" + fakePass + "@nas.example.test/\"]", 2, fakePass},
	{"AWS credentials file", "aws-secret-access-key", file, "[default]\naws_access_key_id = " + awsID + "\naws_secret_access_key = " + awsSecret, 3, awsSecret},
	{"AWS keys CSV", "aws-secret-access-key", "content/acme/files/keys.csv", "Access key ID,Secret access key\n" + awsID + "," + awsSecret, 2, awsSecret},
	{"GCP service account private_key", "private-key", "content/acme/files/sa.json", "{\n  \"private_key\": \"" + pemHeader("") + "\\nMIIE\\n\"\n}", 2, "-----BEGIN"},
	{"Azure Service Bus key", "azure-storage-key", file, "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=" + fakeSAK, 1, fakeSAK},
	{"GitLab token", "gitlab-token", file, "CI token " + fakeGL, 1, fakeGL},
	{"Slack app token", "slack-token", file, "SLACK_APP=" + fakeXapp, 1, fakeXapp},
	{"PEM EC key in an attachment", "private-key", "content/acme/files/ec.key", pemHeader("EC ") + "\nMHcCAQEE\n", 1, "-----BEGIN"},
	{"PGP private key", "private-key", "content/acme/files/pgp.asc", "\n" + strings.Replace(pemHeader("PGP "), "KEY-----", "KEY BLOCK-----", 1), 2, "-----BEGIN"},
	{"prefixed key in a config file", "password-in-text", "content/acme/files/app.env", "db_password=" + fakePass, 1, fakePass},
	{"dotted key in properties", "password-in-text", "content/acme/files/app.properties", "spring.datasource.password = " + fakePass, 1, fakePass},
	{"JSON key", "password-in-text", "content/acme/files/config.json", `{"user": "admin", "password": "` + fakePass + `"}`, 1, fakePass},
	{"lautet:", "password-in-prose", doc, "Das Passwort lautet: " + fakePass, 1, fakePass},
	{"credentials user:pass", "login-password", doc, "Credentials: admin:" + fakePass, 1, fakePass},
	{"SSID and key on one line", "wifi-key", doc, "SSID: Guest, Key: " + fakeWifi, 1, fakeWifi},
	{"field | value table", "password-table", doc, "| Field | Value |\n|---|---|\n| User | admin |\n| **Password** | " + fakePass + " |", 4, fakePass},
	{"Cisco enable password", "device-config-password", "content/acme/files/sw1.cfg", "hostname sw1\nenable password " + fakePass, 2, fakePass},
	{"Cisco username type 0", "device-config-password", "content/acme/files/sw1.cfg", "username admin privilege 15 password 0 " + fakePass, 1, fakePass},
	{"Cisco line password type 7", "device-config-password", "content/acme/files/sw1.cfg", "line vty 0 4\n password 7 0822455D0A16", 2, "0822455D0A16"},
	{"XML element", "password-in-markup", "content/acme/files/app.xml", "<db><password>" + fakePass + "</password></db>", 1, fakePass},
	{"app.config setting", "password-in-markup", "content/acme/files/app.config", `<add key="DbPassword" value="` + fakePass + `" />`, 1, fakePass},
	{"HTML table cells", "password-in-markup", "content/acme/files/sheet.html", "<tr><td>Password</td><td>" + fakePass + "</td></tr>", 1, fakePass},
	{"ConvertTo-SecureString", "powershell-password", "content/acme/files/join.ps1", `$pw = ConvertTo-SecureString "` + fakePass + `" -AsPlainText -Force`, 1, fakePass},
	{"PowerShell -Password", "cli-password-option", doc, "New-LocalUser svc -Password " + fakePass, 1, fakePass},
	{"docker login -p", "cli-password-flag", doc, "docker login -u ci -p " + fakePass + " registry.example.test", 1, fakePass},
	{"ipmitool -P", "cli-password-flag", doc, "ipmitool -I lanplus -H 10.0.0.9 -U ADMIN -P " + fakePass + " power status", 1, fakePass},
	{"Azure SAS signature", "azure-storage-key", file, "https://st.blob.core.windows.net/c?sv=2022-11-02&sig=" + fakeSAK, 1, fakeSAK},
	{"pass:", "password-in-text", doc, "VPN pass: " + fakePass, 1, fakePass},
	{"Pass column", "password-table", doc, "| Host | User | Pass |\n|:-|:-|:-|\n| fw | admin | " + fakePass + " |", 3, fakePass},
	{"password manager CSV export", "password-table", "content/acme/files/export.csv", "name,url,username,password\nfw,https://fw,admin," + fakePass + "\nsw,https://sw,admin,", 2, fakePass},
	{"TSV with a PIN column", "password-table", "content/acme/files/phones.tsv", "ext\tPIN\r\n201\t" + fakePIN + "\r\n", 2, fakePIN},
	{"BitLocker recovery key", "bitlocker-recovery-key", doc, "Recovery: " + fakeBitLocker, 1, fakeBitLocker},
	{"otpauth URI", "otp-secret", doc, "otpauth://totp/Acme:admin?secret=" + fakeOTP + "&issuer=Acme", 1, fakeOTP},
	// Forms found missed by the re-plant of issue 8's item 10.
	{"Password - value", "password-in-text", doc, "Admin Password - " + fakePass, 1, fakePass},
	{"Password -> value", "password-in-text", doc, "Password -> " + fakePass, 1, fakePass},
	{"Password → value", "password-in-text", doc, "Password → " + fakePass, 1, fakePass},
	{"Kennwort – value", "password-in-text", doc, "Kennwort – " + fakePass, 1, fakePass},
	{"Zugangsdaten: user / pass", "login-password", doc, "Zugangsdaten: admin / " + fakePass, 1, fakePass},
	{"Anmeldedaten: user / pass", "login-password", doc, "Anmeldedaten: admin / " + fakePass, 1, fakePass},
	{"camelCase JSON key", "password-in-text", "content/acme/files/appsettings.json", `{"Smtp": {"adminPassword": "` + fakePass + `"}}`, 1, fakePass},
	{"Windows autologon .reg", "password-in-text", "content/acme/files/autologon.reg", "[HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n\"DefaultPassword\"=\"" + fakePass + "\"", 2, fakePass},
	{"upper-case prefix", "password-in-text", "content/acme/files/app.ini", "DBPassword=" + fakePass, 1, fakePass},
	{"PascalCase Pass in YAML", "password-in-text", "content/acme/files/x.yaml", "AdminPass: " + fakePass, 1, fakePass},
	{"OpenVPN static key", "openvpn-static-key", "content/acme/files/ta.key", "#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n8f5e3b2a\n", 4, "-----BEGIN"},
	{"SNMP community", "device-config-key", "content/acme/files/sw1.cfg", "hostname sw1\nsnmp-server community " + fakePass + " RW", 2, fakePass},
	{"RADIUS key", "device-config-key", "content/acme/files/sw1.cfg", "radius-server host 10.0.0.5 key " + fakePass, 1, fakePass},
	{"TACACS key type 7", "device-config-key", "content/acme/files/sw1.cfg", "tacacs-server key 7 0822455D0A16", 1, "0822455D0A16"},
	{"RADIUS server block key", "device-config-key", "content/acme/files/sw1.cfg", "radius server nps1\n address ipv4 10.0.0.5\n key 0 " + fakePass, 3, fakePass},
	{"IKE pre-shared key", "device-config-key", "content/acme/files/fw.cfg", "crypto isakmp key " + fakePass + " address 203.0.113.9", 1, fakePass},
	{"PuTTY key", "putty-private-key", "content/acme/files/sw.ppk", j("PuTTY-User-", "Key-File-3") + ": ssh-ed25519\nEncryption: none", 1, j("PuTTY-User-", "Key-File-3")},
}

// TestForms: each form is found once, by its rule, at the secret; and the
// message does not hold the secret.
func TestForms(t *testing.T) {
	rs := Builtin()
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			if f.col() == 0 {
				t.Fatalf("bad test: secret not on line %d", f.line)
			}
			got := rs.Scan(f.path, []byte(f.text))
			var s []string
			for _, x := range got {
				s = append(s, fmt.Sprintf("%s@%d:%d", x.RuleID, x.Line, x.Col))
			}
			want := formOthers[f.name] + fmt.Sprintf("%s@%d:%d", f.rule, f.line, f.col())
			if strings.Join(s, ",") != want {
				t.Errorf("found [%s], want [%s]", strings.Join(s, ","), want)
			}
			for _, x := range got {
				if strings.Contains(x.Message(), f.secret) {
					t.Errorf("the message of %s holds the planted secret", x.RuleID)
				}
			}
		})
	}
}

// TestNearMisses: text that looks like the forms but holds no secret.
func TestNearMisses(t *testing.T) {
	rs := Builtin()
	for _, c := range []struct{ name, path, text string }{
		{"empty password key", cfg, `password = ""`},
		{"empty password in notes", cfg, `notes = "password = \"\""`},
		{"points to the item", doc, "see the password item [[passwords/x]]"},
		{"in the vault", doc, "Password: (in the vault)"},
		{"reset", doc, "- [ ] Reset the password and remove MFA methods"},
		{"template variable", doc, "Password: {{password}}"},
		{"where it is, with an id", doc, "-- in SSMS as sa (password: passwords/pms-database)"},
		{"next line is prose", doc, "Password:\n\nChange it every 90 days."},
		{"next line is a list of steps", doc, "Password:\n1. Open the vault"},
		{"setext heading", doc, "Password\n========\n"},
		{"heading then a link", doc, "## PIN\n\n[[passwords/alarm-code]]"},
		{"table of links and blanks", doc, "| User | Password |\n|---|---|\n| admin | [[passwords/admin]] |\n| guest | |\n| svc | in the vault |\n| old | n/a |\n| x | - |\n| y | KeePass |"},
		{"table, header is no password column", doc, "| Password policy | Length |\n|---|---|\n| strict | 14! |"},
		{"table, masked", doc, "| Host | Password |\n|---|---|\n| fw | ******** |\n| sw | `<password>` |"},
		{"mysql prompts", doc, "mysql -u root -p crm"},
		{"mysql port", doc, "mysql -h db1 -P3306 -u app -p"},
		{"mysql from a variable", doc, "mysql -u root -p$MYSQL_PWD crm"},
		{"PGPASSWORD from a variable", doc, "PGPASSWORD=$DB_PASS psql -h db1"},
		{"compose from a variable", file, "  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}"},
		{"shell PWD", doc, "PWD=/home/admin/bin"},
		{"curl prompts", doc, "curl -u admin https://api.example.test/"},
		{"curl from variables", doc, `curl -u "$API_USER:$API_PASS" https://api.example.test/`},
		{"net use prompts", doc, `net use Z: \\fs01\data * /user:CORP\admin`},
		{"net use options only", doc, `net use Z: \\fs01\data /persistent:yes`},
		{"net user options", doc, `net user admin /active:yes`},
		{"--no-password", doc, "pg_dump --no-password mydb > x.sql"},
		{"--password in prose", doc, "Use --password to give it on the command line."},
		{"--password-file", doc, "restic --password-file /etc/restic.pw backup /srv"},
		{"URL without password", doc, "https://admin@fw.example.test/ and git@github.com:org/repo.git"},
		{"URL with a port", doc, "https://fw.example.test:8443/login?next=/a@b"},
		{"URL with a variable", doc, "https://admin:${FW_PASS}@fw.example.test/"},
		{"URL with a placeholder", doc, "https://admin:<password>@fw.example.test/"},
		{"URL masked", doc, "https://admin:****@fw.example.test/"},
		{"WPA2-PSK prose", cfg, `notes = "The scanners only do WPA2-PSK on 2.4 GHz. The key is pushed by MDM."`},
		{"Wi-Fi password is elsewhere", doc, "The Wi-Fi password is in the vault."},
		{"PIN without digits", doc, "BitLocker with PIN. Premier support."},
		{"pin of a connector", doc, "Pin 3 of the serial cable is ground."},
		{"pinned", doc, "Sensor drivers are pinned: see the SOP."},
		{"login without a password", doc, "Login: admin / 2 factor"},
		{"user / group", doc, "User / Group mapping is in AD."},
		{"env name in a comment", "cairn.toml", "# CAIRN_PORTAL_PASSPHRASE_<PORTAL> or --passphrase-file, never in git."},
		{"passphrase file key", "cairn.toml", `portal_passphrase_file = "demo/keys/DEMO-portal-passphrase.txt"`},
		{"hashed enable secret", "content/acme/files/sw1.cfg", "enable secret 9 $9$fakehashfakehash"},
		{"hashed user secret", "content/acme/files/sw1.cfg", "username admin privilege 15 secret 5 $1$fake$hash"},
		{"prose about passwords", doc, "Password changes are logged by the firewall since 2024."},
		{"empty XML element", "content/acme/files/app.xml", "<password></password> <password>${DB_PASS}</password>"},
		{"SecureString from a prompt", "content/acme/files/join.ps1", `$pw = Read-Host -AsSecureString; New-LocalUser svc -Password $pw`},
		{"login is a URL", doc, "Login: https://portal.example.test:8443/"},
		{"field | value table with links", doc, "| Field | Value |\n|---|---|\n| Password | [[passwords/admin]] |\n| PIN | in the safe |"},
		{"password_file key", "content/acme/files/app.env", "password_file=/run/secrets/db-1"},
		{"CSV without a password column", "content/acme/files/hosts.csv", "host,ip\nfw,10.0.0.1"},
		{"CSV with empty and link cells", "content/acme/files/x.csv", "user;password\nadmin;\nroot;see vault"},
		{"digits that are no recovery key", doc, "Serial 123456-123456-123456"},
		{"Password - prose", doc, "Password - see the vault entry."},
		{"Password - a list of rules", doc, "Password - 14 characters or more"},
		{"Password -> where", doc, "Password -> vault"},
		{"words ending in pass", doc, "Bypass: 2 steps. Compass: 360. Overpass: A3"},
		{"1Password, the product", doc, "1Password: v8 on every laptop"},
		{"SNMP community from a variable", "content/acme/files/sw1.cfg", "snmp-server community ${SNMP_RO} RO"},
		{"key chain without a key", "content/acme/files/sw1.cfg", "key chain OSPF\n key 1"},
		{"certificate is public", "content/acme/files/c.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := rs.ScanKeys(c.path, []byte(c.text), nil); len(got) != 0 {
				t.Errorf("found %+v, want nothing", got)
			}
		})
	}
}

// TestKeyStoreByName: a key store or a password manager's database is
// reported by its name, even when its bytes are binary and not scanned.
func TestKeyStoreByName(t *testing.T) {
	rs := Builtin()
	got := rs.Scan("content/acme/files/rd-gateway.PFX", nil)
	if len(got) != 1 || got[0].RuleID != "private-key-file" || got[0].Line != 0 {
		t.Errorf("found %+v, want private-key-file at the file", got)
	}
	for _, name := range []string{"content/acme/files/clients.kdbx", "content/acme/files/old.KDB", "content/acme/files/vault.psafe3"} {
		if got := rs.Scan(name, nil); len(got) != 1 || got[0].RuleID != "password-database-file" || got[0].Line != 0 {
			t.Errorf("%s: found %+v, want password-database-file at the file", name, got)
		}
	}
	if got := rs.Scan("content/acme/files/rd-gateway.crt", nil); len(got) != 0 {
		t.Errorf("a certificate: found %+v, want nothing", got)
	}
}
