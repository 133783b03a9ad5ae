package nixgen

import (
	"encoding/json"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/nixgen/nixgen/internal/nixcheck"
	"github.com/nixgen/nixgen/nixgen/nix"
)

// netDoc is the part of an inventory that the network tests decode.
type netDoc struct {
	Hosts []Machine `hcl:"host,block"`
}

// netHost decodes body, the inside of a host block written in HCL, and
// returns the host and the whole source, whose byte offsets the ranges of
// the host's diagnostics refer to.
func netHost(t *testing.T, body string) (*Machine, string) {
	t.Helper()
	src := "host \"h\" {\n" + body + "\n}\n"
	hosts := netDecode(t, src)
	return &hosts[0], src
}

// netDecode decodes host blocks written in HCL.
func netDecode(t *testing.T, src string) []Machine {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "inventory.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing:\n%s\n%v", src, diags)
	}
	var doc netDoc
	if diags := gohcl.DecodeBody(f.Body, nil, &doc); diags.HasErrors() {
		t.Fatalf("decoding:\n%s\n%v", src, diags)
	}
	return doc.Hosts
}

// netPrint returns the network.nix of m for backend, checked to parse with
// Nix.
func netPrint(t *testing.T, m *Machine, backend string) string {
	t.Helper()
	e, err := networkModule(m, backend)
	if err != nil {
		t.Fatalf("networkModule: %v", err)
	}
	return netPrintExpr(t, e)
}

func netPrintExpr(t *testing.T, e nix.Expr) string {
	t.Helper()
	out, err := nix.Print(e)
	if err != nil {
		t.Fatalf("nix.Print: %v", err)
	}
	nixcheck.Parse(t, "network.nix", out)
	return string(out)
}

// netEvalResult is what a network.nix module evaluates to, applied to {}.
// encoding/json matches the field names regardless of case.
type netEvalResult struct {
	Networking struct {
		UseDHCP     *bool
		UseNetworkd *bool
		Nameservers []string
		Nftables    struct{ Enable *bool }
		Firewall    struct {
			Enable               *bool
			AllowedTCPPorts      []int
			AllowedUDPPorts      []int
			AllowedTCPPortRanges []netEvalRange
			AllowedUDPPortRanges []netEvalRange
			AllowPing            *bool
			Interfaces           map[string]struct{ AllowedTCPPorts, AllowedUDPPorts []int }
			ExtraCommands        string
			ExtraInputRules      string
		}
	}
	Systemd struct {
		Network struct {
			Networks map[string]netEvalUnit
		}
	}
	Services struct {
		Openssh struct{ OpenFirewall *bool }
	}
}

type netEvalRange struct{ From, To int }

type netEvalUnit struct {
	MatchConfig   map[string]string
	Address       []string
	Routes        []map[string]any
	NetworkConfig map[string]string
	LinkConfig    map[string]string
}

// netEval evaluates the printed module src applied to {}, the way NixOS
// calls a module, with real Nix.
func netEval(t *testing.T, src string) netEvalResult {
	t.Helper()
	var raw json.RawMessage
	nixcheck.EvalJSON(t, []byte("("+src+") { }\n"), &raw)
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	var out netEvalResult
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return out
}

func TestNetworkValidate(t *testing.T) {
	type tc struct {
		name string
		body string
		// summary is the diagnostic expected, "" for none at all.
		summary string
		warning bool
		// detail is a part of its Detail; at is a part of the source text
		// its Subject covers.
		detail, at string
	}
	// v4 is an interface with an IPv4 address and the settings in rest.
	v4 := func(rest string) string {
		return "interface \"eth0\" {\n  addresses = [\"203.0.113.10/24\"]\n" + rest + "\n}"
	}
	cases := []tc{
		{name: "clean", body: `interface "eth0" {
  addresses = ["203.0.113.10/24", "2001:db8::2/64"]
  gateway   = "203.0.113.1"
  gateway6  = "fe80::1"
}
nameservers = ["9.9.9.9", "2620:fe::fe"]`},

		// Interface names.
		{name: "name 16 bytes", body: `interface "abcdefghijklmnop" { dhcp = "yes" }`,
			summary: "Invalid interface name", detail: "at most 15 bytes", at: `"abcdefghijklmnop"`},
		{name: "name 15 bytes", body: `interface "abcdefghijklmno" { dhcp = "yes" }`},
		{name: "name with space", body: `interface "eth 0" { dhcp = "yes" }`,
			summary: "Invalid interface name", detail: `contains ' '`, at: `"eth 0"`},
		{name: "name with quote", body: `interface "eth0\";x" { dhcp = "yes" }`,
			summary: "Invalid interface name", detail: `contains '"'`},
		{name: "name with dots", body: `interface "eth0.100" { dhcp = "yes" }`},
		{name: "duplicate interface", body: `interface "eth0" { dhcp = "yes" }
interface "eth0" { dhcp = "ipv6" }`,
			summary: "Duplicate interface", detail: "also declared at inventory.hcl:2,1-17", at: `"eth0"`},
		{name: "two interfaces", body: `interface "eth0" { dhcp = "yes" }
interface "eth1" { dhcp = "ipv6" }`},

		// MAC addresses.
		{name: "bad MAC", body: `interface "eth0" {
  match_mac = "52:54:00:12:34"
  dhcp = "yes"
}`, summary: "Invalid MAC address", detail: `"52:54:00:12:34"`, at: `"52:54:00:12:34"`},
		{name: "good MAC", body: `interface "eth0" {
  match_mac = "52:54:00:AB:CD:EF"
  dhcp = "yes"
}`},
		{name: "duplicate MAC", body: `interface "eth0" {
  match_mac = "52:54:00:ab:cd:ef"
  dhcp = "yes"
}
interface "eth1" {
  match_mac = "52-54-00-AB-CD-EF"
  dhcp = "yes"
}`, summary: "Duplicate MAC address", detail: `"eth0" (at inventory.hcl:3,15-34)`, at: `"52-54-00-AB-CD-EF"`},

		// DHCP and RequiredForOnline.
		{name: "bad dhcp", body: `interface "eth0" { dhcp = "both" }`,
			summary: "Invalid DHCP mode", detail: `"both"`, at: `"both"`},
		{name: "bad required_for_online", body: `interface "eth0" {
  dhcp = "yes"
  required_for_online = "online"
}`, summary: "Invalid RequiredForOnline", detail: `"online"`, at: `"online"`},
		{name: "required_for_online range", body: `interface "eth0" {
  dhcp = "yes"
  required_for_online = "degraded:routable"
}`},
		{name: "no address", body: `interface "eth0" {}`,
			summary: "Interface without addresses", warning: true, at: `"eth0"`},

		// Addresses.
		{name: "address without length", body: `interface "eth0" { addresses = ["203.0.113.10"] }`,
			summary: "Invalid address", detail: `"203.0.113.10" (element 1 of addresses`, at: `["203.0.113.10"]`},
		{name: "address garbage", body: `interface "eth0" { addresses = ["10.0.0.1/24", "10.0.0.300/24"] }`,
			summary: "Invalid address", detail: `"10.0.0.300/24" (element 2 of addresses`},
		{name: "address multicast", body: `interface "eth0" { addresses = ["224.0.0.1/24"] }`,
			summary: "Invalid address", detail: "not a unicast address"},
		{name: "address twice", body: `interface "eth0" { addresses = ["10.0.0.1/24"] }
interface "eth1" { addresses = ["10.0.0.1/16"] }`,
			summary: "Duplicate address", detail: `interface "eth0" at inventory.hcl:2,32-47`, at: `["10.0.0.1/16"]`},

		// Gateways.
		{name: "IPv6 in gateway", body: `interface "eth0" {
  addresses = ["2001:db8::2/64"]
  gateway = "2001:db8::1"
}`, summary: "Gateway of the wrong family", detail: "Move it to gateway6", at: `"2001:db8::1"`},
		{name: "IPv4 in gateway6", body: v4(`  gateway6 = "203.0.113.1"`),
			summary: "Gateway of the wrong family", detail: "Move it to gateway"},
		{name: "gateway not an address", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway = "router"
}`, summary: "Invalid gateway", detail: `"router"`, at: `"router"`},
		{name: "IPv4 gateway without IPv4", body: `interface "eth0" {
  addresses = ["2001:db8::2/64"]
  gateway = "203.0.113.1"
}`, summary: "Gateway without address", detail: `set dhcp = "ipv4"`, at: `"203.0.113.1"`},
		{name: "IPv4 gateway with DHCP", body: `interface "eth0" {
  addresses = ["2001:db8::2/64"]
  dhcp = "ipv4"
  gateway = "203.0.113.1"
}`},
		{name: "IPv6 gateway without IPv6", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway6 = "fe80::1"
}`, summary: "Gateway without address", detail: `set dhcp = "ipv6"`},
		{name: "gateway is own address", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway = "203.0.113.10"
}`, summary: "Gateway is a local address", at: `"203.0.113.10"`},
		{name: "gateway is another interface's address", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway = "10.0.0.1"
}
interface "eth1" {
  addresses = ["10.0.0.1/24"]
}`, summary: "Gateway is a local address", detail: `interface "eth1"`},
		{name: "on_link false outside", body: `interface "eth0" {
  addresses = ["203.0.113.10/32"]
  route {
    gateway = "203.0.113.254"
    on_link = false
  }
}`, summary: "Gateway not on the link", detail: "203.0.113.10/32", at: `"203.0.113.254"`},
		{name: "on_link false inside", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  route {
    gateway = "203.0.113.254"
    on_link = false
  }
}`},

		// Route blocks.
		{name: "empty route", body: v4(`  route {}`),
			summary: "Empty route", at: "route"},
		{name: "on_link without gateway", body: v4(`  route {
    destination = "10.8.0.0/16"
    on_link = true
  }`), summary: "on_link without gateway", at: "true"},
		{name: "destination host bits", body: v4(`  route {
    destination = "10.8.0.1/16"
    gateway = "203.0.113.1"
  }`), summary: "Route destination has host bits", detail: `Write "10.8.0.0/16"`, at: `"10.8.0.1/16"`},
		{name: "destination and gateway families", body: v4(`  route {
    destination = "2001:db8:1::/48"
    gateway = "203.0.113.1"
  }`), summary: "Gateway of the wrong family", detail: "share a family"},
		{name: "direct route", body: v4(`  route {
    destination = "198.51.100.0/24"
  }`)},
		{name: "two default routes", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway = "203.0.113.1"
  route {
    gateway = "203.0.113.2"
  }
}`, summary: "Two default routes", detail: "another at inventory.hcl:4,13-26", at: `"203.0.113.2"`},
		{name: "duplicate route", body: v4(`  route {
    destination = "10.8.0.0/16"
    gateway = "203.0.113.1"
  }
  route {
    destination = "10.8.0.0/16"
    gateway = "203.0.113.1"
  }`), summary: "Duplicate route", detail: "Route 2"},
		{name: "default route without gateway", body: v4(`  route {
    destination = "0.0.0.0/0"
  }`), summary: "Default route without gateway"},
		{name: "default gateways on two interfaces", body: `interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway = "203.0.113.1"
}
interface "eth1" {
  addresses = ["10.0.0.10/24"]
  gateway = "10.0.0.1"
}`, summary: "Several default routes", warning: true, detail: `"eth0", "eth1"`},

		// Nameservers.
		{name: "nameserver name", body: `nameservers = ["9.9.9.9", "dns.quad9.net"]`,
			summary: "Invalid nameserver", detail: `"dns.quad9.net" (element 2`, at: `["9.9.9.9", "dns.quad9.net"]`},
		{name: "nameserver with zone", body: `nameservers = ["fe80::1%eth0"]`,
			summary: "Invalid nameserver", detail: "zone"},
		{name: "nameserver twice", body: `nameservers = ["9.9.9.9", "9.9.9.9"]`,
			summary: "Duplicate nameserver", warning: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, src := netHost(t, c.body)
			diags := validateNetwork(m)
			netCheckDiag(t, src, diags, c.summary, c.warning, c.detail, c.at)
		})
	}
}

// netCheckDiag checks that diags hold a diagnostic with summary, of the
// given severity, whose Detail contains detail and whose Subject covers
// text that contains at; or, when summary is "", that diags are empty.
func netCheckDiag(t *testing.T, src string, diags hcl.Diagnostics, summary string, warning bool, detail, at string) {
	t.Helper()
	if summary == "" {
		if len(diags) > 0 {
			t.Fatalf("want no diagnostics, got:\n%v", netDiagsText(diags))
		}
		return
	}
	sev := hcl.DiagError
	if warning {
		sev = hcl.DiagWarning
	}
	for _, d := range diags {
		if d.Summary != summary || d.Severity != sev {
			continue
		}
		if !strings.Contains(d.Detail, detail) {
			t.Errorf("detail %q does not contain %q", d.Detail, detail)
		}
		if d.Subject == nil {
			t.Fatalf("diagnostic %q has no subject", d.Summary)
		}
		got := src[d.Subject.Start.Byte:d.Subject.End.Byte]
		if !strings.Contains(got, at) {
			t.Errorf("subject covers %q, want it to contain %q", got, at)
		}
		return
	}
	t.Fatalf("want %q (severity %v), got:\n%s", summary, sev, netDiagsText(diags))
}

func netDiagsText(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.Error() + "\n")
	}
	return b.String()
}

// TestNetworkSeedOnLink is the OVH host of seed 001: a /32 IPv4 address
// and a /64 IPv6 address whose gateways lie outside both subnets, so both
// default routes need GatewayOnLink. With the firewall of sample 05 and a
// derived rule, the module is sample 05 byte for byte.
func TestNetworkSeedOnLink(t *testing.T) {
	m, _ := netHost(t, `
nameservers = ["8.8.8.8", "8.8.4.4"]
interface "eno3" {
  addresses = ["144.217.181.222/32", "2607:5300:203:bde::/64"]
  gateway   = "144.217.181.254"
  gateway6  = "2607:5300:203:bff:ff:ff:ff:fd"
}
firewall {
  allow_ping = true
  tcp = [443, 80, 22]
  udp = [53]
}`)
	if diags := validateNetwork(m); len(diags) > 0 {
		t.Fatalf("validateNetwork:\n%s", netDiagsText(diags))
	}
	etcd := allowRule{
		Name: "k3s", Comment: "etcd peers", TCP: []portRange{{2379, 2379}},
		From: []netip.Prefix{netip.MustParsePrefix("2001:db8::1/128"), netip.MustParsePrefix("10.0.0.1/32")},
	}
	e, err := networkModuleRules(m, "iptables", []allowRule{etcd})
	if err != nil {
		t.Fatal(err)
	}
	got := netPrintExpr(t, e)
	want, err := os.ReadFile("nix/testdata/nixfmt/05-network.nix")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("network.nix differs from sample 05 (-want +got):\n%s", diff)
	}

	res := netEval(t, got)
	unit := res.Systemd.Network.Networks["10-eno3"]
	wantRoutes := []map[string]any{
		{"Gateway": "144.217.181.254", "GatewayOnLink": true},
		{"Gateway": "2607:5300:203:bff:ff:ff:ff:fd", "GatewayOnLink": true},
	}
	if diff := cmp.Diff(wantRoutes, unit.Routes); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{22, 80, 443}, res.Networking.Firewall.AllowedTCPPorts); diff != "" {
		t.Errorf("allowedTCPPorts (-want +got):\n%s", diff)
	}
	if o := res.Services.Openssh.OpenFirewall; o == nil || *o {
		t.Errorf("services.openssh.openFirewall = %v, want false", o)
	}
}

// TestNetworkSeedLinkLocal is the Hetzner host of seed 000: a static IPv6
// /64 with the link-local router fe80::1 as gateway, which is on the link
// by definition and gets no GatewayOnLink, unless on_link asks for it.
func TestNetworkSeedLinkLocal(t *testing.T) {
	m, _ := netHost(t, `
interface "eth0" {
  addresses = ["2a01:4f9:3a:1a1c::/64"]
  gateway6  = "fe80::1"
}`)
	if diags := validateNetwork(m); len(diags) > 0 {
		t.Fatalf("validateNetwork:\n%s", netDiagsText(diags))
	}
	got := netPrint(t, m, "")
	want := `{ ... }: {
  networking.useDHCP = false;
  networking.useNetworkd = true;
  systemd.network.networks."10-eth0" = {
    matchConfig.Name = "eth0";
    address = [ "2a01:4f9:3a:1a1c::/64" ];
    routes = [ { Gateway = "fe80::1"; } ];
    linkConfig.RequiredForOnline = "routable";
  };
  networking.firewall = {
    enable = true;
  };
}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("network.nix (-want +got):\n%s", diff)
	}
	res := netEval(t, got)
	if diff := cmp.Diff([]map[string]any{{"Gateway": "fe80::1"}}, res.Systemd.Network.Networks["10-eth0"].Routes); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}

	m, _ = netHost(t, `
interface "eth0" {
  addresses = ["2a01:4f9:3a:1a1c::/64"]
  route {
    gateway = "fe80::1"
    on_link = true
  }
}`)
	res = netEval(t, netPrint(t, m, ""))
	if diff := cmp.Diff([]map[string]any{{"Gateway": "fe80::1", "GatewayOnLink": true}}, res.Systemd.Network.Networks["10-eth0"].Routes); diff != "" {
		t.Errorf("routes with on_link = true (-want +got):\n%s", diff)
	}
}

// TestNetworkOnLinkDerivation covers each rule of deriveOnLink that emits
// a route.
func TestNetworkOnLinkDerivation(t *testing.T) {
	cases := []struct {
		name  string
		iface string
		want  []map[string]any
	}{
		{"inside the subnet", `addresses = ["203.0.113.10/24"]
gateway = "203.0.113.1"`, []map[string]any{{"Gateway": "203.0.113.1"}}},
		{"outside the subnet", `addresses = ["203.0.113.10/24"]
gateway = "198.51.100.1"`, []map[string]any{{"Gateway": "198.51.100.1", "GatewayOnLink": true}}},
		{"inside one of two subnets", `addresses = ["203.0.113.10/24", "198.51.100.10/28"]
gateway = "198.51.100.1"`, []map[string]any{{"Gateway": "198.51.100.1"}}},
		{"explicit on_link inside", `addresses = ["203.0.113.10/24"]
route {
  gateway = "203.0.113.1"
  on_link = true
}`, []map[string]any{{"Gateway": "203.0.113.1", "GatewayOnLink": true}}},
		{"DHCP only", `dhcp = "ipv4"
gateway = "198.51.100.1"`, []map[string]any{{"Gateway": "198.51.100.1"}}},
		{"IPv6 outside", `addresses = ["2001:db8::2/64"]
gateway6 = "2001:db8:ffff::1"`, []map[string]any{{"Gateway": "2001:db8:ffff::1", "GatewayOnLink": true}}},
		{"routes sorted", `addresses = ["203.0.113.10/24", "2001:db8::2/64"]
route {
  destination = "2001:db8:1::/48"
  gateway = "2001:db8::1"
}
route {
  destination = "10.9.0.0/16"
  gateway = "203.0.113.2"
}
route {
  destination = "10.8.0.0/16"
}
gateway6 = "fe80::1"
gateway = "203.0.113.1"`, []map[string]any{
			{"Gateway": "203.0.113.1"},
			{"Gateway": "fe80::1"},
			{"Destination": "10.8.0.0/16"},
			{"Destination": "10.9.0.0/16", "Gateway": "203.0.113.2"},
			{"Destination": "2001:db8:1::/48", "Gateway": "2001:db8::1"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := netHost(t, "interface \"eth0\" {\n"+c.iface+"\n}")
			if diags := validateNetwork(m); diags.HasErrors() {
				t.Fatalf("validateNetwork:\n%s", netDiagsText(diags))
			}
			res := netEval(t, netPrint(t, m, ""))
			if diff := cmp.Diff(c.want, res.Systemd.Network.Networks["10-eth0"].Routes); diff != "" {
				t.Errorf("routes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNetworkUnits checks the rest of a unit: matching by MAC, DHCP,
// canonical addresses, RequiredForOnline, and no networkd settings at all
// for a host without interfaces.
func TestNetworkUnits(t *testing.T) {
	m, _ := netHost(t, `
interface "lan" {
  match_mac = "52:54:00:AB:CD:EF"
  dhcp = "yes"
  addresses = ["2001:DB8:0:0::2/64"]
  required_for_online = "degraded"
}
interface "bmc" {}`)
	res := netEval(t, netPrint(t, m, ""))
	want := map[string]netEvalUnit{
		"10-lan": {
			MatchConfig:   map[string]string{"MACAddress": "52:54:00:ab:cd:ef"},
			Address:       []string{"2001:db8::2/64"},
			NetworkConfig: map[string]string{"DHCP": "yes"},
			LinkConfig:    map[string]string{"RequiredForOnline": "degraded"},
		},
		"10-bmc": {MatchConfig: map[string]string{"Name": "bmc"}},
	}
	if diff := cmp.Diff(want, res.Systemd.Network.Networks); diff != "" {
		t.Errorf("units (-want +got):\n%s", diff)
	}
	if u, n := res.Networking.UseDHCP, res.Networking.UseNetworkd; u == nil || *u || n == nil || !*n {
		t.Errorf("useDHCP = %v, useNetworkd = %v, want false and true", u, n)
	}

	m, _ = netHost(t, `nameservers = ["2620:FE::FE"]`)
	got := netPrint(t, m, "")
	want2 := `{ ... }: {
  networking.nameservers = [ "2620:fe::fe" ];
  networking.firewall = {
    enable = true;
  };
}
`
	if diff := cmp.Diff(want2, got); diff != "" {
		t.Errorf("host without interfaces (-want +got):\n%s", diff)
	}
}

// TestNetworkJSONSyntax checks that the JSON form of an inventory gives
// the module the HCL form gives.
func TestNetworkJSONSyntax(t *testing.T) {
	m, _ := netHost(t, `
interface "eth0" {
  addresses = ["203.0.113.10/24"]
  gateway   = "203.0.113.1"
  route {
    destination = "10.8.0.0/16"
    gateway     = "203.0.113.2"
  }
}
firewall {
  tcp = [22]
  allow "etcd" {
    tcp  = [2379]
    from = ["10.0.0.1"]
  }
}`)
	src := `{"host": {"h": {
  "interface": {"eth0": {
    "addresses": ["203.0.113.10/24"],
    "gateway": "203.0.113.1",
    "route": [{"destination": "10.8.0.0/16", "gateway": "203.0.113.2"}]
  }},
  "firewall": {
    "tcp": [22],
    "allow": {"etcd": {"tcp": [2379], "from": ["10.0.0.1"]}}
  }
}}}`
	f, diags := hcljson.Parse([]byte(src), "inventory.json")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var doc netDoc
	if diags := gohcl.DecodeBody(f.Body, nil, &doc); diags.HasErrors() {
		t.Fatal(diags)
	}
	if diff := cmp.Diff(netPrint(t, m, ""), netPrint(t, &doc.Hosts[0], "")); diff != "" {
		t.Errorf("JSON form differs from HCL form (-hcl +json):\n%s", diff)
	}

	// Diagnostics point into the JSON file.
	doc.Hosts[0].Interfaces[0].Gateway = new("2001:db8::1")
	d := validateNetwork(&doc.Hosts[0])
	if len(d) != 1 || d[0].Subject == nil || d[0].Subject.Filename != "inventory.json" {
		t.Fatalf("want one diagnostic in inventory.json, got:\n%s", netDiagsText(d))
	}
	if got := src[d[0].Subject.Start.Byte:d[0].Subject.End.Byte]; got != `"203.0.113.1"` {
		t.Errorf("subject covers %q, want the gateway value", got)
	}
}

// TestNetworkGoBuilt checks an inventory built in Go, whose ranges are all
// unset: diagnostics have no subject and say "earlier", and nothing
// panics.
func TestNetworkGoBuilt(t *testing.T) {
	m := &Machine{Name: "h", Interfaces: []Interface{
		{Name: "eth0", Addresses: []string{"10.0.0.1/24"}},
		{Name: "eth0", DHCP: new("yes")},
	}}
	diags := validateNetwork(m)
	if len(diags) != 1 || diags[0].Subject != nil || !strings.Contains(diags[0].Detail, "also declared earlier") {
		t.Fatalf("got:\n%s", netDiagsText(diags))
	}
	if _, err := networkModule(m, ""); err == nil {
		t.Error("networkModule accepted a host that fails validation")
	}
}

func TestNetworkMerge(t *testing.T) {
	layers := netDecode(t, `
host "profile" {
  interface "eth0" {
    dhcp      = "ipv4"
    addresses = ["10.0.0.2/24", "10.0.0.3/24"]
    gateway   = "10.0.0.1"
    route {
      destination = "10.8.0.0/16"
    }
  }
  interface "eth1" {
    dhcp = "yes"
  }
  firewall {
    allow_ping = false
    tcp = [22]
    udp = [53]
    allow "etcd" {
      tcp  = [2379]
      from = ["10.0.0.0/24"]
    }
    allow "web" {
      tcp = [80]
    }
  }
}
host "host" {
  interface "eth0" {
    addresses = ["203.0.113.10/24"]
    gateway   = "203.0.113.1"
  }
  interface "eth2" {
    dhcp = "ipv6"
  }
  firewall {
    tcp = []
    allow "etcd" {
      tcp  = [2380]
      from = ["10.0.1.0/24"]
    }
    allow "dns" {
      udp = [53]
    }
  }
}`)
	profile, host := &layers[0], &layers[1]
	dst := &Machine{Name: "h"}
	mergeNetwork(dst, profile)
	mergeNetwork(dst, host)

	var names []string
	for _, in := range dst.Interfaces {
		names = append(names, in.Name)
	}
	if diff := cmp.Diff([]string{"eth0", "eth1", "eth2"}, names); diff != "" {
		t.Fatalf("interfaces (-want +got):\n%s", diff)
	}
	eth0 := dst.Interfaces[0]
	if *eth0.DHCP != "ipv4" || *eth0.Gateway != "203.0.113.1" ||
		!cmp.Equal(eth0.Addresses, []string{"203.0.113.10/24"}) || len(eth0.Routes) != 1 {
		t.Errorf("eth0 = %+v: want the profile's dhcp and route, the host's addresses and gateway", eth0)
	}
	if eth0.GatewayRange != host.Interfaces[0].GatewayRange || eth0.DHCPRange != profile.Interfaces[0].DHCPRange {
		t.Error("ranges do not follow the winning values")
	}
	fw := dst.Firewall
	if *fw.AllowPing || fw.TCP == nil || len(fw.TCP) != 0 || !cmp.Equal(fw.UDP, []int{53}) {
		t.Errorf("firewall scalars = allow_ping %v, tcp %v, udp %v", *fw.AllowPing, fw.TCP, fw.UDP)
	}
	var rules []string
	for _, a := range fw.Allow {
		rules = append(rules, a.Name+":"+strings.Join(a.From, ","))
	}
	if diff := cmp.Diff([]string{"etcd:10.0.1.0/24", "web:", "dns:"}, rules); diff != "" {
		t.Errorf("allow rules (-want +got):\n%s", diff)
	}
	if diags := validateNetwork(dst); diags.HasErrors() {
		t.Errorf("merged host does not validate:\n%s", netDiagsText(diags))
	}

	// No aliasing in either direction.
	before := netPrint(t, host, "")
	dst.Interfaces[0].Addresses[0] = "192.0.2.1/24"
	*dst.Interfaces[0].Gateway = "192.0.2.254"
	dst.Firewall.Allow[0].From[0] = "192.0.2.0/24"
	dst.Firewall.Allow[0].TCP[0] = 1
	if after := netPrint(t, host, ""); after != before {
		t.Errorf("changing the merged host changed the layer:\n%s", cmp.Diff(before, after))
	}
	*profile.Interfaces[0].DHCP = "no"
	profile.Interfaces[0].Routes[0].Destination = new("10.9.0.0/16")
	if *dst.Interfaces[0].DHCP != "ipv4" || *dst.Interfaces[0].Routes[0].Destination != "10.8.0.0/16" {
		t.Error("changing the layer changed the merged host")
	}

	// Two same-named blocks of one layer are both kept, for validation
	// to report.
	twice := netDecode(t, `
host "h" {
  interface "eth0" { dhcp = "yes" }
  interface "eth0" { dhcp = "ipv6" }
  firewall {
    allow "a" { tcp = [1] }
    allow "a" { tcp = [2] }
  }
}`)
	dst = &Machine{}
	mergeNetwork(dst, &twice[0])
	if len(dst.Interfaces) != 2 || len(dst.Firewall.Allow) != 2 {
		t.Fatalf("same-named blocks of one layer were merged: %d interfaces, %d rules", len(dst.Interfaces), len(dst.Firewall.Allow))
	}
	var summaries []string
	for _, d := range validateNetwork(dst) {
		summaries = append(summaries, d.Summary)
	}
	if diff := cmp.Diff([]string{"Duplicate interface", "Duplicate firewall rule"}, summaries); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}

	// A layer without network settings keeps what dst has.
	dst = &Machine{}
	mergeNetwork(dst, profile)
	mergeNetwork(dst, &Machine{})
	if len(dst.Interfaces) != 2 || dst.Firewall == nil || len(dst.Firewall.Allow) != 2 {
		t.Errorf("an empty layer changed the host: %+v", dst)
	}
}
