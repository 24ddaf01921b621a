package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/google/uuid"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// hashAlgo names a hash function for the hashing functions' descriptions
// and computes it.
type hashAlgo struct {
	name string
	new  func() hash.Hash
}

func (a hashAlgo) sum(data []byte) []byte {
	h := a.new()
	h.Write(data)
	return h.Sum(nil)
}

func (a hashAlgo) hex(data []byte) string { return hex.EncodeToString(a.sum(data)) }

var (
	algoMD5    = hashAlgo{name: "MD5", new: md5.New}
	algoSHA1   = hashAlgo{name: "SHA-1", new: sha1.New}
	algoSHA256 = hashAlgo{name: "SHA-256", new: sha256.New}
	algoSHA512 = hashAlgo{name: "SHA-512", new: sha512.New}
)

// makeHashFunc returns a function that hashes the UTF-8 bytes of a string
// and returns the digest hex-encoded, or base64-encoded when b64 is set.
func makeHashFunc(algo hashAlgo, b64 bool) function.Function {
	encoding := "hex"
	if b64 {
		encoding = "base64"
	}
	return function.New(&function.Spec{
		Description: fmt.Sprintf("Returns the %s-encoded %s digest of the UTF-8 bytes of the given string.", encoding, algo.name),
		Params:      []function.Parameter{{Name: "str", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			data := []byte(args[0].AsString())
			if b64 {
				return cty.StringVal(base64.StdEncoding.EncodeToString(algo.sum(data))), nil
			}
			return cty.StringVal(algo.hex(data)), nil
		},
	})
}

// uuidFunc is uuid(): impure, a new random UUID on every call.
var uuidFunc = function.New(&function.Spec{
	Description: "Returns a new random (version 4) UUID string. Impure: every call returns a different value.",
	Params:      []function.Parameter{},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(_ []cty.Value, _ cty.Type) (cty.Value, error) {
		id, err := uuid.NewRandom()
		if err != nil {
			return cty.NilVal, fmt.Errorf("cannot generate a UUID: %w", err)
		}
		return cty.StringVal(id.String()), nil
	},
})
