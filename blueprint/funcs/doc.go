// Package funcs is the library of functions a blueprint expression may call:
// go-cty's stdlib, the Terraform-style functions users of this kind of tool
// expect, and a few of Blueprint's own. Table returns them by name for an
// hcl.EvalContext; RenderTemplate renders an HCL template file, for
// templatefile here and for the hosts' `template` resources.
//
// It is not the place for expression evaluation itself, variables or
// references: those belong to package blueprint.
//
// # Values that are not known, or sensitive
//
// Every function accepts unknown arguments (a value known only after
// apply) and then returns an unknown result of the right type instead of
// failing. Every function keeps marks: a result derived from a value marked
// SensitiveMark is itself sensitive. When any argument is sensitive, an error
// from the function keeps its position (HCL still points at the right
// argument) but its message is replaced by a generic one, because messages
// may quote argument values.
//
// Functions marked "impure" below return a different value on each call;
// the caller decides whether to call them during validation or plan.
//
// # Functions
//
// Numbers:
//
//	abs(n) ceil(n) floor(n) log(n, base) max(n...) min(n...) pow(n, exp) signum(n)
//	parseint(str, base)            "ff", 16 → 255
//
// Strings:
//
//	chomp(s)                       drop trailing newlines
//	format(fmt, args...)           printf-style: format("%s-%02d", "web", 3) → "web-03"
//	formatlist(fmt, lists...)      format once per element
//	indent(n, s)                   indent all lines but the first by n spaces
//	join(sep, lists...) split(sep, s)
//	lower(s) upper(s) title(s) strrev(s)
//	regex(re, s) regexall(re, s)   RE2 matches (captures as list or object)
//	replace(s, sub, repl)          sub in slashes ("/[0-9]+/") is a regex, repl may use $1
//	startswith(s, p) endswith(s, p) strcontains(s, sub)
//	substr(s, offset, length)      characters, negative offset counts from the end
//	trim(s, chars) trimprefix(s, p) trimsuffix(s, p) trimspace(s)
//
// Collections:
//
//	alltrue(list) anytrue(list)    null elements count as false
//	chunklist(list, size) coalesce(vals...) coalescelist(lists...) compact(list)
//	concat(lists...) contains(list, v) distinct(list) element(list, i) flatten(list)
//	index(list, v)                 position of v; error if absent
//	keys(map) values(map) length(v)  length counts string characters too
//	lookup(map, key, default)      map[key] or default
//	merge(maps...)                 later keys win; objects merge to an object
//	one(list)                      the only element, or null if empty
//	range(start?, limit, step?) reverse(list) slice(list, from, to) sort(list)
//	setintersection(sets...) setproduct(sets...) setsubtract(a, b) setunion(sets...)
//	sum(list) transpose(map) zipmap(keys, values)
//
// Type conversions: tobool tolist tomap tonumber toset tostring.
//
// Encodings:
//
//	base64encode(s) base64decode(s)  decoded bytes must be UTF-8
//	jsonencode(v) jsondecode(s) yamlencode(v) yamldecode(s) csvdecode(s)
//	urlencode(s)                     query escaping, space → "+"
//
// Hashes (hex unless named base64): md5 sha1 sha256 sha512 base64sha256
// base64sha512, of the string's UTF-8 bytes. uuid() is impure: a random
// version 4 UUID.
//
// Files and paths, relative to the module directory ("~" is the home
// directory):
//
//	file(path)                     contents as UTF-8 text
//	filebase64(path)               contents as base64
//	filemd5 filesha1 filesha256 filesha512 (path)
//	fileexists(path)               false if missing, error if not a regular file
//	templatefile(path, vars)       render an HCL template with only vars as variables
//	abspath(path) basename(path) dirname(path) pathexpand(path)
//
// Networks (IPv4 and IPv6):
//
//	cidrhost("10.0.0.0/24", 5)       → "10.0.0.5" (negative counts from the end)
//	cidrsubnet("10.0.0.0/16", 8, 2)  → "10.0.2.0/24"
//	cidrsubnets("10.0.0.0/16", 4, 8) → ["10.0.0.0/20", "10.0.16.0/24"]
//	cidrnetmask("10.0.0.0/12")       → "255.240.0.0" (IPv4 only)
//
// Time: timestamp() (impure, RFC 3339 in UTC), formatdate(spec, ts),
// timeadd(ts, duration).
//
// Sensitivity: sensitive(v) marks v, nonsensitive(v) removes the mark at any
// depth, issensitive(v) reports whether v holds a sensitive value.
//
// Errors: try(exprs...) returns the first expression that evaluates without
// error; can(expr) reports whether expr evaluates without error.
package funcs
