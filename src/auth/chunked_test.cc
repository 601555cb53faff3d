// ChunkedDecoder against AWS's streaming examples ("Transferring Payload in
// Multiple Chunks" and "Signature Calculations for Trailing Headers"), fed in
// every split, plus tampering, truncation and length mismatches.
#include "auth/chunked.h"

#include <gtest/gtest.h>

#include "auth/signer.h"
#include "auth/test_util.h"

namespace kelp::auth {
namespace {

using testing::OptionsAt;

constexpr char kKey[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20130524T000000Z";

SignedRequest ExampleRequest(bool trailer) {
  SignedRequest r;
  r.method = "PUT";
  r.raw_path = "/examplebucket/chunkObject.txt";
  if (trailer) {
    r.headers = {
        {"Host", "s3.amazonaws.com"},
        {"x-amz-date", kDate},
        {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
        {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"},
        {"Content-Encoding", "aws-chunked"},
        {"x-amz-decoded-content-length", "66560"},
        {"x-amz-trailer", "x-amz-checksum-crc32c"},
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
         "SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;"
         "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,"
         "Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"}};
  } else {
    r.headers = {
        {"Host", "s3.amazonaws.com"},
        {"x-amz-date", kDate},
        {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
        {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
        {"Content-Encoding", "aws-chunked"},
        {"x-amz-decoded-content-length", "66560"},
        {"Content-Length", "66824"},
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
         "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
         "x-amz-decoded-content-length;x-amz-storage-class,"
         "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"}};
  }
  return r;
}

std::string ExampleBody() {
  return "10000;chunk-signature="
         "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature="
         "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n";
}

std::string TrailerBody() {
  return "10000;chunk-signature="
         "b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" +
         std::string(65536, 'a') +
         "\r\n400;chunk-signature="
         "1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" +
         std::string(1024, 'a') +
         "\r\n0;chunk-signature="
         "2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n"
         "x-amz-checksum-crc32c:sOO8/Q==\r\n"
         "x-amz-trailer-signature:"
         "d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n"
         "\r\n";
}

AuthResult ExampleAuth(bool trailer) {
  MapSecrets secrets({{kKey, kSecret}});
  auto r = Authenticate(ExampleRequest(trailer), secrets, OptionsAt(kDate));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return *r;
}

// Feeds `body` in pieces of `step` bytes; returns the first error.
Status Decode(ChunkedDecoder& d, const std::string& body, size_t step, std::string* out) {
  for (size_t i = 0; i < body.size(); i += step) {
    std::string piece;
    Status s = d.Feed(std::string_view(body).substr(i, step), &piece);
    out->append(piece);
    if (!s.ok()) return s;
  }
  return d.Finish();
}

TEST(ChunkedAwsExample, SeedSignatureAndContext) {
  AuthResult a = ExampleAuth(false);
  EXPECT_EQ(a.payload, PayloadMode::kStreamingChunked);
  EXPECT_EQ(a.decoded_content_length, 66560u);
  EXPECT_EQ(a.streaming.seed_signature,
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
  EXPECT_EQ(a.streaming.scope, "20130524/us-east-1/s3/aws4_request");
  EXPECT_EQ(a.streaming.amz_date, kDate);
  EXPECT_EQ(a.streaming.signing_key.size(), 32u);
}

TEST(ChunkedAwsExample, DecodesInAnySplit) {
  AuthResult a = ExampleAuth(false);
  for (size_t step : {1ul, 2ul, 3ul, 7ul, 85ul, 86ul, 87ul, 4096ul, 65536ul, 1ul << 20}) {
    SCOPED_TRACE(step);
    ChunkedDecoder d(a);
    std::string out;
    ASSERT_TRUE(Decode(d, ExampleBody(), step, &out).ok());
    EXPECT_EQ(out, std::string(66560, 'a'));
    EXPECT_TRUE(d.done());
    EXPECT_EQ(d.decoded_bytes(), 66560u);
  }
}

TEST(ChunkedAwsExample, TamperedDataFailsItsChunk) {
  AuthResult a = ExampleAuth(false);
  std::string body = ExampleBody();
  body[100] = 'b';
  ChunkedDecoder d(a);
  std::string out;
  EXPECT_TRUE(Decode(d, body, 4096, &out).Is(Code::kSignatureDoesNotMatch));
  // The decoder stays failed.
  EXPECT_TRUE(d.Feed("x", &out).Is(Code::kSignatureDoesNotMatch));
  EXPECT_TRUE(d.Finish().Is(Code::kSignatureDoesNotMatch));
}

TEST(ChunkedAwsExample, ReorderedOrForgedSignaturesFail) {
  AuthResult a = ExampleAuth(false);
  std::string body = ExampleBody();
  // The final chunk's signature must chain from the previous one.
  std::string forged = body;
  forged.replace(forged.rfind("b6c6ea8a"), 8, "b6c6ea8b");
  ChunkedDecoder d(a);
  std::string out;
  EXPECT_TRUE(Decode(d, forged, 1000, &out).Is(Code::kSignatureDoesNotMatch));
  // Another seed (another request) does not validate these chunks.
  AuthResult other = a;
  other.streaming.seed_signature[0] = '5';
  ChunkedDecoder d2(other);
  out.clear();
  EXPECT_TRUE(Decode(d2, body, 1000, &out).Is(Code::kSignatureDoesNotMatch));
}

TEST(ChunkedAwsExample, TruncatedBodyIsIncomplete) {
  AuthResult a = ExampleAuth(false);
  std::string body = ExampleBody();
  for (size_t cut : {size_t{0}, size_t{10}, size_t{50000}, body.size() - 100}) {
    ChunkedDecoder d(a);
    std::string out;
    EXPECT_TRUE(Decode(d, body.substr(0, cut), 999, &out).Is(Code::kIncompleteBody)) << cut;
  }
  // Only the closing CRLF missing: accepted, as radosgw does.
  ChunkedDecoder d(a);
  std::string out;
  EXPECT_TRUE(Decode(d, body.substr(0, body.size() - 2), 999, &out).ok());
}

TEST(ChunkedAwsExample, DecodedLengthMismatch) {
  AuthResult shorter = ExampleAuth(false);
  shorter.decoded_content_length = 66000;
  ChunkedDecoder d(shorter);
  std::string out;
  EXPECT_TRUE(Decode(d, ExampleBody(), 4096, &out).Is(Code::kBadDigest));
  AuthResult longer = ExampleAuth(false);
  longer.decoded_content_length = 70000;
  ChunkedDecoder d2(longer);
  out.clear();
  EXPECT_TRUE(Decode(d2, ExampleBody(), 4096, &out).Is(Code::kIncompleteBody));
}

TEST(ChunkedAwsExample, GarbageAfterFinalChunk) {
  ChunkedDecoder d(ExampleAuth(false));
  std::string out;
  EXPECT_TRUE(Decode(d, ExampleBody() + "10\r\n", 4096, &out).Is(Code::kInvalidRequest));
}

TEST(ChunkedAwsExample, OverlongHeaderLineBounded) {
  ChunkedDecoder d(ExampleAuth(false));
  std::string out;
  Status s = d.Feed(std::string(ChunkedDecoder::kMaxChunkHeader + 1, '1'), &out);
  EXPECT_TRUE(s.Is(Code::kInvalidRequest));
}

TEST(ChunkedTrailer, AwsSignedTrailerExample) {
  AuthResult a = ExampleAuth(true);
  EXPECT_EQ(a.payload, PayloadMode::kStreamingSignedTrailer);
  EXPECT_EQ(a.trailer, "x-amz-checksum-crc32c");
  for (size_t step : {1ul, 13ul, 4096ul, 1ul << 20}) {
    ChunkedDecoder d(a);
    std::string out;
    ASSERT_TRUE(Decode(d, TrailerBody(), step, &out).ok()) << step;
    EXPECT_EQ(out, std::string(66560, 'a'));
    ASSERT_EQ(d.trailers().size(), 1u);
    EXPECT_EQ(d.trailers()[0].first, "x-amz-checksum-crc32c");
    EXPECT_EQ(d.trailers()[0].second, "sOO8/Q==");
  }
  // The blank-line-before-trailers variant decodes too.
  std::string variant = TrailerBody();
  variant.insert(variant.find("x-amz-checksum"), "\r\n");
  ChunkedDecoder dv(a);
  std::string out;
  EXPECT_TRUE(Decode(dv, variant, 4096, &out).ok());
  // A changed checksum breaks the trailer signature.
  std::string forged = TrailerBody();
  forged.replace(forged.find("sOO8/Q=="), 8, "sOO8/A==");
  ChunkedDecoder df(a);
  out.clear();
  EXPECT_TRUE(Decode(df, forged, 4096, &out).Is(Code::kSignatureDoesNotMatch));
  // A missing trailer signature too.
  std::string unsigned_trailer = TrailerBody();
  unsigned_trailer.erase(unsigned_trailer.find("x-amz-trailer-signature"), 90);
  ChunkedDecoder du(a);
  out.clear();
  EXPECT_TRUE(Decode(du, unsigned_trailer, 4096, &out).Is(Code::kSignatureDoesNotMatch));
}

TEST(ChunkedTrailer, UnsignedPayloadTrailer) {
  AuthResult a;
  a.anonymous = false;
  a.payload = PayloadMode::kStreamingUnsignedTrailer;
  a.decoded_content_length = 11;
  const std::string body =
      "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n";
  for (size_t step : {1ul, 4ul, 100ul}) {
    ChunkedDecoder d(a);
    std::string out;
    ASSERT_TRUE(Decode(d, body, step, &out).ok()) << step;
    EXPECT_EQ(out, "hello world");
    ASSERT_EQ(d.trailers().size(), 1u);
    EXPECT_EQ(d.trailers()[0].second, "DUoRhQ==");
  }
  ChunkedDecoder d(a);
  std::string out;
  EXPECT_TRUE(Decode(d, body.substr(0, 20), 3, &out).Is(Code::kIncompleteBody));
}

TEST(ChunkedSigner, RoundTripThroughDecoder) {
  V4SignRequest r;
  r.method = "PUT";
  r.raw_path = "/bucket/big%20file";
  r.headers = {{"Host", "localhost:8000"},
               {"Content-Encoding", "aws-chunked"},
               {"x-amz-decoded-content-length", "300000"}};
  r.payload_hash = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  r.time = *ParseAmzDate("20240301T101010Z");
  V4Signature sig = SignV4(r, {"AK", "SK"});
  ChunkedSigner signer(sig);
  std::string payload;
  for (int i = 0; i < 300000; ++i) payload.push_back(static_cast<char>('a' + i % 26));
  std::string body;
  for (size_t off = 0; off < payload.size(); off += 65536) {
    body += signer.Chunk(std::string_view(payload).substr(off, 65536));
  }
  body += signer.Final();
  EXPECT_EQ(body.size(), ChunkedSigner::EncodedLength(payload.size(), 65536));

  SignedRequest req;
  req.method = r.method;
  req.raw_path = r.raw_path;
  req.headers = r.headers;
  req.headers.insert(req.headers.end(), sig.headers.begin(), sig.headers.end());
  MapSecrets secrets({{"AK", "SK"}});
  auto a = Authenticate(req, secrets, OptionsAt("20240301T101010Z"));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->payload, PayloadMode::kStreamingChunked);
  ChunkedDecoder d(*a);
  std::string out;
  ASSERT_TRUE(Decode(d, body, 10000, &out).ok());
  EXPECT_EQ(out, payload);
}

}  // namespace
}  // namespace kelp::auth
