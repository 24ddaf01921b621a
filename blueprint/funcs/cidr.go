package funcs

import (
	"math/big"
	"net"
	"net/netip"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// network is a parsed CIDR prefix with its first address as an integer, so
// host and subnet numbers can be added without caring about the family.
type network struct {
	prefix netip.Prefix
	base   *big.Int
	bits   int // 32 or 128
}

// parseNetwork parses an IPv4 or IPv6 prefix. Host bits are allowed and
// ignored ("10.0.0.7/24" is the network 10.0.0.0/24), as users expect when
// they paste an interface address.
func parseNetwork(argIdx int, s string) (network, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return network{}, function.NewArgErrorf(argIdx, "%q is not a CIDR prefix such as \"10.0.0.0/16\" or \"fd00::/48\": %v", s, err)
	}
	p = p.Masked()
	return network{
		prefix: p,
		base:   new(big.Int).SetBytes(p.Addr().AsSlice()),
		bits:   p.Addr().BitLen(),
	}, nil
}

// family names the address family in error messages.
func (n network) family() string {
	if n.bits == 32 {
		return "IPv4"
	}
	return "IPv6"
}

// addr returns the address at offset from the network's first address.
func (n network) addr(offset *big.Int) netip.Addr {
	v := new(big.Int).Add(n.base, offset)
	buf := v.FillBytes(make([]byte, n.bits/8))
	a, _ := netip.AddrFromSlice(buf)
	return a
}

// size returns the number of addresses in a prefix of length plen.
func (n network) size(plen int) *big.Int {
	return new(big.Int).Lsh(big.NewInt(1), uint(n.bits-plen))
}

// wholeNumber returns v as an integer, or an argument error.
func wholeNumber(argIdx int, v cty.Value, what string) (*big.Int, error) {
	f := v.AsBigFloat()
	if !f.IsInt() {
		return nil, function.NewArgErrorf(argIdx, "%s must be a whole number, not %s", what, f.Text('g', -1))
	}
	i, _ := f.Int(nil)
	return i, nil
}

// extendBy checks that a prefix of length n.prefix.Bits() can be extended by
// newbits (argument argIdx) and returns the new prefix length.
func (n network) extendBy(argIdx int, nb *big.Int) (int, error) {
	plen := n.prefix.Bits()
	if nb.Sign() < 0 {
		return 0, function.NewArgErrorf(argIdx, "newbits must not be negative, got %s", nb)
	}
	if nb.Cmp(big.NewInt(int64(n.bits-plen))) > 0 {
		return 0, function.NewArgErrorf(argIdx, "cannot extend a /%d prefix by %s bits: an %s address has only %d bits, so newbits can be at most %d", plen, nb, n.family(), n.bits, n.bits-plen)
	}
	return plen + int(nb.Int64()), nil
}

var cidrHostFunc = function.New(&function.Spec{
	Description: "Returns the address of the given host number within a CIDR prefix. A negative host number counts back from the end of the prefix (-1 is the last address).",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "hostnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(0, args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		host, err := wholeNumber(1, args[1], "hostnum")
		if err != nil {
			return cty.NilVal, err
		}
		size := n.size(n.prefix.Bits())
		offset := new(big.Int).Set(host)
		if offset.Sign() < 0 {
			offset.Add(offset, size)
		}
		if offset.Sign() < 0 || offset.Cmp(size) >= 0 {
			return cty.NilVal, function.NewArgErrorf(1, "host number %s is outside the prefix %s, which has %s addresses (numbered 0 to %s, or -%s to -1 from the end)", host, n.prefix, size, new(big.Int).Sub(size, big.NewInt(1)), size)
		}
		return cty.StringVal(n.addr(offset).String()), nil
	},
})

var cidrSubnetFunc = function.New(&function.Spec{
	Description: "Returns the subnet number netnum of the given CIDR prefix when its prefix length is extended by newbits bits.",
	Params: []function.Parameter{
		{Name: "prefix", Type: cty.String},
		{Name: "newbits", Type: cty.Number},
		{Name: "netnum", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(0, args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		nb, err := wholeNumber(1, args[1], "newbits")
		if err != nil {
			return cty.NilVal, err
		}
		newLen, err := n.extendBy(1, nb)
		if err != nil {
			return cty.NilVal, err
		}
		num, err := wholeNumber(2, args[2], "netnum")
		if err != nil {
			return cty.NilVal, err
		}
		count := new(big.Int).Lsh(big.NewInt(1), uint(newLen-n.prefix.Bits()))
		if num.Sign() < 0 || num.Cmp(count) >= 0 {
			return cty.NilVal, function.NewArgErrorf(2, "subnet number %s does not fit: extending %s by %s bits gives %s subnets, numbered 0 to %s", num, n.prefix, nb, count, new(big.Int).Sub(count, big.NewInt(1)))
		}
		offset := new(big.Int).Mul(num, n.size(newLen))
		return cty.StringVal(netip.PrefixFrom(n.addr(offset), newLen).String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Description: "Returns the dotted-decimal netmask of an IPv4 CIDR prefix (\"10.0.0.0/12\" → \"255.240.0.0\").",
	Params:      []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(0, args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		if n.bits != 32 {
			return cty.NilVal, function.NewArgErrorf(0, "%s is an IPv6 prefix; netmasks exist only for IPv4, use the prefix length (/%d) instead", n.prefix, n.prefix.Bits())
		}
		return cty.StringVal(net.IP(net.CIDRMask(n.prefix.Bits(), 32)).String()), nil
	},
})

var cidrSubnetsFunc = function.New(&function.Spec{
	Description: "Allocates consecutive subnets of the given CIDR prefix, one per newbits argument (each extends the prefix length by that many bits), and returns them in order.",
	Params:      []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam:    &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:        function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		n, err := parseNetwork(0, args[0].AsString())
		if err != nil {
			return cty.NilVal, err
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		end := new(big.Int).Add(n.base, n.size(n.prefix.Bits()))
		next := new(big.Int).Set(n.base) // first free address
		out := make([]cty.Value, 0, len(args)-1)
		for i, arg := range args[1:] {
			nb, err := wholeNumber(i+1, arg, "newbits")
			if err != nil {
				return cty.NilVal, err
			}
			if nb.Sign() == 0 {
				return cty.NilVal, function.NewArgErrorf(i+1, "newbits must be at least 1: a subnet with the same length as %s would use all of it", n.prefix)
			}
			newLen, err := n.extendBy(i+1, nb)
			if err != nil {
				return cty.NilVal, err
			}
			// Subnets are aligned to their own size, so round the first
			// free address up to the next multiple of it.
			size := n.size(newLen)
			start := new(big.Int).Add(next, new(big.Int).Sub(size, big.NewInt(1)))
			start.Div(start, size).Mul(start, size)
			next = new(big.Int).Add(start, size)
			if next.Cmp(end) > 0 {
				return cty.NilVal, function.NewArgErrorf(i+1, "not enough room left in %s for a /%d subnet after the %d subnet(s) before it", n.prefix, newLen, i)
			}
			offset := new(big.Int).Sub(start, n.base)
			out = append(out, cty.StringVal(netip.PrefixFrom(n.addr(offset), newLen).String()))
		}
		return cty.ListVal(out), nil
	},
})
