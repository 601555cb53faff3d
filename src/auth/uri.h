// Percent-encoding as SigV4 canonicalisation needs it.
//
// AWS's UriEncode keeps only the unreserved set A-Z a-z 0-9 '-' '_' '.' '~'
// and writes every other byte as %XX with upper-case hex; '/' is kept or
// encoded at the caller's choice (kept in a path, encoded in a query). Kelp
// canonicalises what the client sent by decoding it and encoding it again
// (radosgw's aws4_uri_recode), so "%2a", "%2A" and "*" all sign the same.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kelp::auth {

// AWS UriEncode of raw bytes.
std::string UriEncode(std::string_view raw, bool encode_slash);

// Percent-decodes. A '%' not followed by two hex digits stays literal. With
// plus_is_space (query strings, application/x-www-form-urlencoded) '+' decodes
// to ' '; in a path '+' is a literal plus.
std::string UriDecode(std::string_view encoded, bool plus_is_space);

// UriEncode(UriDecode(s, false), encode_slash): the canonical form of an
// already (perhaps partially, perhaps differently) encoded string.
std::string UriRecode(std::string_view encoded, bool encode_slash);

}  // namespace kelp::auth
