package tomldoc

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/cairn-it/cairn/generator/diag"
)

// DecodeError is a problem found while decoding a table into a struct: an
// unknown key, or a value of the wrong TOML type.
type DecodeError struct {
	Pos  Pos
	Key  string // dotted path of the key
	Msg  string
	Hint string
	// Unknown is true for keys the struct has no field for.
	Unknown bool
}

// Decode fills the struct dst points to from t, field by field, using the
// `toml:"name"` tag of each exported field. It does not stop at the first
// problem: every unknown key and every mistyped value is returned, so a
// configuration file gets all its errors in one run.
//
// Supported field types: string, bool, int, float64, []string, *Value (the
// raw value, e.g. a default), Pos (filled with the key's position when the
// tag is `toml:",pos"`), *Table (the table itself, for the positions of
// its values, when the tag is `toml:",table"`), structs, slices of structs (from arrays of
// tables), pointers to those, and map[string]T from a table of tables.
// Fields tagged `toml:"-"` are skipped.
func Decode(t *Table, dst any) []DecodeError {
	var errs []DecodeError
	decodeTable(t, reflect.ValueOf(dst).Elem(), "", &errs)
	return errs
}

func decodeTable(t *Table, rv reflect.Value, path string, errs *[]DecodeError) {
	rt := rv.Type()
	known := map[string]int{}
	var names []string
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		tag := f.Tag.Get("toml")
		if tag == ",pos" {
			rv.Field(i).Set(reflect.ValueOf(t.Pos))
			continue
		}
		if tag == ",table" {
			rv.Field(i).Set(reflect.ValueOf(t))
			continue
		}
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		name := strings.Split(tag, ",")[0]
		known[name] = i
		names = append(names, name)
	}
	for _, key := range t.Keys() {
		v := t.Get(key)
		full := join(path, key)
		i, ok := known[key]
		if !ok {
			e := DecodeError{Pos: v.KeyPos, Key: full, Msg: fmt.Sprintf("unknown key %q", full), Unknown: true}
			if s := diag.Suggest(key, names); s != "" {
				e.Hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				e.Hint = "known keys: " + strings.Join(names, ", ")
			}
			*errs = append(*errs, e)
			continue
		}
		decodeValue(v, rv.Field(i), full, errs)
	}
}

var valueType = reflect.TypeOf((*Value)(nil))

func decodeValue(v *Value, fv reflect.Value, path string, errs *[]DecodeError) {
	wrong := func(want string) {
		*errs = append(*errs, DecodeError{Pos: v.Pos, Key: path, Msg: fmt.Sprintf("%q must be %s, got %s", path, want, describe(v))})
	}
	if fv.Type() == valueType {
		fv.Set(reflect.ValueOf(v))
		return
	}
	switch fv.Kind() {
	case reflect.String:
		if v.Kind != KindString {
			wrong("a string")
			return
		}
		fv.SetString(v.Str)
	case reflect.Bool:
		if v.Kind != KindBool {
			wrong("true or false")
			return
		}
		fv.SetBool(v.Bool)
	case reflect.Int:
		if v.Kind != KindInteger {
			wrong("an integer")
			return
		}
		fv.SetInt(v.Int)
	case reflect.Float64:
		if v.Kind != KindInteger && v.Kind != KindFloat {
			wrong("a number")
			return
		}
		fv.SetFloat(v.Float)
	case reflect.Pointer:
		nv := reflect.New(fv.Type().Elem())
		decodeValue(v, nv.Elem(), path, errs)
		fv.Set(nv)
	case reflect.Struct:
		if v.Kind != KindTable {
			wrong("a table")
			return
		}
		decodeTable(v.Table, fv, path, errs)
	case reflect.Slice:
		if v.Kind != KindArray {
			if fv.Type().Elem().Kind() == reflect.String {
				wrong("an array of strings")
			} else {
				wrong("an array")
			}
			return
		}
		s := reflect.MakeSlice(fv.Type(), len(v.Array), len(v.Array))
		for i, e := range v.Array {
			decodeValue(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i), errs)
		}
		fv.Set(s)
	case reflect.Map:
		if v.Kind != KindTable {
			wrong("a table")
			return
		}
		m := reflect.MakeMap(fv.Type())
		for _, k := range v.Table.Keys() {
			ev := reflect.New(fv.Type().Elem()).Elem()
			decodeValue(v.Table.Get(k), ev, join(path, k), errs)
			m.SetMapIndex(reflect.ValueOf(k), ev)
		}
		fv.Set(m)
	default:
		panic(fmt.Sprintf("tomldoc.Decode: unsupported field type %s", fv.Type()))
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Describe says what a value is, for messages: `the string "x"`, `the
// integer 3`, `an array`.
func Describe(v *Value) string { return describe(v) }

func describe(v *Value) string {
	switch v.Kind {
	case KindString:
		s := v.Str
		if len(s) > 60 {
			s = s[:57] + "..."
		}
		return fmt.Sprintf("the string %q", s)
	case KindInteger, KindFloat, KindBool, KindDate, KindDateTime, KindLocalDateTime, KindLocalTime:
		return strings.TrimPrefix(strings.TrimPrefix(v.Kind.String(), "an "), "a ") + " " + v.Raw
	}
	return v.Kind.String()
}
