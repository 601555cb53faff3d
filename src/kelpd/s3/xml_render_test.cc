#include "kelpd/s3/xml_render.h"

#include <gtest/gtest.h>

#include "kelpd/s3/xml_writer.h"

namespace kelp::s3 {
namespace {

constexpr char kDecl[] = R"(<?xml version="1.0" encoding="UTF-8"?>)";
constexpr char kNs[] = R"( xmlns="http://s3.amazonaws.com/doc/2006-03-01/")";

api::ObjectInfo Obj(std::string key, uint64_t size) {
  api::ObjectInfo o;
  o.key = std::move(key);
  o.size = size;
  o.mtime = CephTime{1795915451, 202000000};  // 2026-11-28T...
  o.etag = "d41d8cd98f00b204e9800998ecf8427e";
  o.owner = rgw::User{"", "alice", ""};
  o.owner_display_name = "Alice";
  return o;
}

// Quotes are escaped too (AWS sends <ETag>&quot;...&quot;</ETag>).
TEST(XmlWriter, EscapesAndCloses) {
  XmlWriter w;
  w.Open("A", kS3Xmlns).Leaf("B", "x<&>y").Open("C").Leaf("N", uint64_t{7});
  EXPECT_EQ(w.Finish(),
            std::string(kDecl) + "<A" + kNs + "><B>x&lt;&amp;&gt;y</B><C><N>7</N></C></A>");
}

TEST(Times, Iso8601AndHttpDate) {
  CephTime t{784111777, 123456789};
  EXPECT_EQ(FormatIso8601(t), "1994-11-06T08:49:37.123Z");
  EXPECT_EQ(FormatHttpDate(t), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(RenderListBuckets, OwnerAndBuckets) {
  api::Identity who;
  who.anonymous = false;
  who.user = rgw::User{"", "alice", ""};
  who.display_name = "Alice";
  std::string xml = RenderListBuckets(who, {{"b1", CephTime{784111777, 0}}});
  EXPECT_EQ(xml, std::string(kDecl) + "<ListAllMyBucketsResult" + kNs +
                     "><Owner><ID>alice</ID><DisplayName>Alice</DisplayName></Owner><Buckets>"
                     "<Bucket><Name>b1</Name><CreationDate>1994-11-06T08:49:37.000Z</CreationDate>"
                     "</Bucket></Buckets></ListAllMyBucketsResult>");
}

TEST(RenderListObjects, V1WithPrefixesAndNextMarker) {
  ListObjectsEcho echo;
  echo.bucket = "b";
  echo.delimiter = "/";
  echo.max_keys = 2;
  api::ListObjectsResult r;
  r.objects = {Obj("a.txt", 5)};
  r.common_prefixes = {"dir/"};
  r.truncated = true;
  r.next_marker = "dir/";
  std::string xml = RenderListObjectsV1(echo, r);
  EXPECT_NE(xml.find("<Name>b</Name><Prefix></Prefix><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>"
                     "<IsTruncated>true</IsTruncated><CommonPrefixes>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("</Contents><Marker></Marker><NextMarker>dir/</NextMarker></ListBucketResult>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Contents><Key>a.txt</Key><LastModified>"), std::string::npos);
  EXPECT_NE(xml.find("<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>5</Size>"
                     "<StorageClass>STANDARD</StorageClass><Owner><ID>alice</ID>"
                     "<DisplayName>Alice</DisplayName></Owner><Type>Normal</Type></Contents>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"), std::string::npos);
}

TEST(RenderListObjects, V2TokensKeyCountUrlEncoding) {
  ListObjectsEcho echo;
  echo.bucket = "b";
  echo.prefix = "a b/";
  echo.url_encode = true;
  echo.continuation_token = EncodeContinuationToken("a b/0");
  echo.has_continuation_token = true;
  api::ListObjectsResult r;
  r.objects = {Obj("a b/1+2", 1)};
  r.common_prefixes = {"a b/sub/"};
  r.truncated = true;
  r.next_marker = "a b/sub/";
  std::string xml = RenderListObjectsV2(echo, r);
  EXPECT_NE(xml.find("<Prefix>a b/</Prefix>"), std::string::npos) << xml;  // radosgw: as is
  EXPECT_NE(xml.find("<ContinuationToken>" + echo.continuation_token + "</ContinuationToken>"),
            std::string::npos);
  std::string next;
  auto pos = xml.find("<NextContinuationToken>");
  ASSERT_NE(pos, std::string::npos);
  auto end = xml.find("</NextContinuationToken>");
  std::string token = xml.substr(pos + 23, end - pos - 23);
  ASSERT_TRUE(DecodeContinuationToken(token, &next));
  EXPECT_EQ(next, "a b/sub/");
  EXPECT_NE(xml.find("<KeyCount>2</KeyCount>"), std::string::npos);
  EXPECT_NE(xml.find("<EncodingType>url</EncodingType>"), std::string::npos);
  EXPECT_NE(xml.find("<Key>a%20b%2F1%2B2</Key>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<Type>Normal</Type>"), std::string::npos);
  EXPECT_EQ(xml.find("<Owner>"), std::string::npos);  // v2 without fetch-owner
  EXPECT_NE(xml.find("<CommonPrefixes><Prefix>a%20b/sub/</Prefix></CommonPrefixes>"),
            std::string::npos);
}

TEST(ContinuationToken, IsTheMarkerAsRadosgwSendsIt) {
  std::string marker = "\xff\xfe/key?>>";
  std::string token = EncodeContinuationToken(marker);
  EXPECT_EQ(token, marker);
  std::string back;
  ASSERT_TRUE(DecodeContinuationToken("size/4MiB+1", &back));
  EXPECT_EQ(back, "size/4MiB+1");
}

TEST(RenderDeleteResult, QuietShowsOnlyErrors) {
  api::DeleteResult ok;
  ok.key = "gone";
  api::DeleteResult bad;
  bad.key = "locked";
  bad.status = Status(Code::kAccessDenied, "");
  std::string loud = RenderDeleteResult({ok, bad}, false);
  EXPECT_NE(loud.find("<Deleted><Key>gone</Key></Deleted>"), std::string::npos) << loud;
  EXPECT_NE(loud.find("<Error><Key>locked</Key><Code>AccessDenied</Code><Message>"),
            std::string::npos)
      << loud;
  std::string quiet = RenderDeleteResult({ok, bad}, true);
  EXPECT_EQ(quiet.find("<Deleted>"), std::string::npos);
  EXPECT_NE(quiet.find("<Error><Key>locked</Key>"), std::string::npos);
}

TEST(RenderMultipart, Documents) {
  EXPECT_EQ(RenderInitiateMultipart("b", "k", "2~abc"),
            std::string(kDecl) + "<InitiateMultipartUploadResult" + kNs +
                "><Bucket>b</Bucket><Key>k</Key><UploadId>2~abc</UploadId>"
                "</InitiateMultipartUploadResult>");
  EXPECT_EQ(RenderCompleteMultipart("http://h/b/k", "b", "k", "abc-2"),
            std::string(kDecl) + "<CompleteMultipartUploadResult" + kNs +
                "><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key>"
                "<ETag>&quot;abc-2&quot;</ETag></CompleteMultipartUploadResult>");
  ListPartsEcho echo{"b", "k", "2~abc", 0, 1000};
  api::ListPartsResult r;
  r.parts = {{1, 5242880, "e1", CephTime{784111777, 0}}};
  r.upload.owner = rgw::User{"", "alice", ""};
  r.upload.owner_display_name = "Alice";
  std::string xml = RenderListParts(echo, r);
  EXPECT_NE(xml.find("<Part><PartNumber>1</PartNumber><LastModified>1994-11-06T08:49:37.000Z"
                     "</LastModified><ETag>&quot;e1&quot;</ETag><Size>5242880</Size></Part>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Initiator><ID>alice</ID>"), std::string::npos);
}

TEST(RenderCopyResult, ObjectAndPart) {
  api::CopyObjectResult r{"abc", CephTime{784111777, 0}};
  EXPECT_EQ(RenderCopyResult(r, false),
            std::string(kDecl) + "<CopyObjectResult" + kNs +
                "><LastModified>1994-11-06T08:49:37.000Z</LastModified><ETag>&quot;abc&quot;</ETag>"
                "</CopyObjectResult>");
  EXPECT_NE(RenderCopyResult(r, true).find("<CopyPartResult"), std::string::npos);
}

TEST(RenderTagging, TagSet) {
  EXPECT_EQ(RenderTagging({{"k", "v&"}}),
            std::string(kDecl) + "<Tagging" + kNs +
                "><TagSet><Tag><Key>k</Key><Value>v&amp;</Value></Tag></TagSet></Tagging>");
}

TEST(RenderVersioning, UnsetAndStatus) {
  EXPECT_EQ(RenderVersioning(""),
            std::string(kDecl) + "<VersioningConfiguration" + kNs + "></VersioningConfiguration>");
  EXPECT_EQ(RenderVersioning("Enabled"), std::string(kDecl) + "<VersioningConfiguration" + kNs +
                                             "><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete>"
                                             "</VersioningConfiguration>");
}

TEST(RenderLocation, ApiName) {
  EXPECT_EQ(RenderLocation(""),
            std::string(kDecl) + "<LocationConstraint" + kNs + "></LocationConstraint>");
  EXPECT_EQ(RenderLocation("eu"),
            std::string(kDecl) + "<LocationConstraint" + kNs + ">eu</LocationConstraint>");
}

// send_versioned_response's shape: Version/DeleteMarker in listing order,
// "null" version ids, NextVersionIdMarker only when truncated.
TEST(RenderListVersions, VersionsMarkersAndNextMarkers) {
  ListVersionsEcho echo;
  echo.bucket = "vb";
  echo.max_keys = 2;
  echo.key_marker = "a";
  echo.version_id_marker = "null";
  api::ListVersionsResult r;
  api::ObjectVersion dm;
  dm.info = Obj("doc.txt", 0);
  dm.info.version_id = "abc";
  dm.is_latest = true;
  dm.delete_marker = true;
  api::ObjectVersion v;
  v.info = Obj("doc.txt", 5);
  v.info.version_id = "null";
  r.versions = {dm, v};
  r.truncated = true;
  r.next_key_marker = "doc.txt";
  r.next_version_id_marker = "null";
  std::string xml = RenderListVersions(echo, r);
  EXPECT_NE(xml.find("<ListVersionsResult" + std::string(kNs) +
                     "><Name>vb</Name><Prefix></Prefix><MaxKeys>2</MaxKeys>"
                     "<IsTruncated>true</IsTruncated><KeyMarker>a</KeyMarker>"
                     "<VersionIdMarker>null</VersionIdMarker><NextKeyMarker>doc.txt"
                     "</NextKeyMarker><NextVersionIdMarker>null</NextVersionIdMarker>"
                     "<DeleteMarker><Key>doc.txt</Key><VersionId>abc</VersionId>"
                     "<IsLatest>true</IsLatest><LastModified>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("</LastModified><Owner><ID>alice</ID><DisplayName>Alice</DisplayName>"
                     "</Owner><Type>Normal</Type></DeleteMarker><Version><Key>doc.txt</Key>"
                     "<VersionId>null</VersionId><IsLatest>false</IsLatest>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Size>5</Size><StorageClass>STANDARD</StorageClass><Owner>"),
            std::string::npos);
  // encoding-type=url as radosgw: EncodingType first, keys with %2F,
  // common prefixes (before the markers) keep their slashes.
  echo.url_encode = true;
  echo.delimiter = "/";
  r.common_prefixes = {"d i/"};
  r.versions[1].info.key = "a/b c";
  xml = RenderListVersions(echo, r);
  EXPECT_NE(xml.find(std::string(kNs) + "><EncodingType>url</EncodingType><Name>vb</Name>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Delimiter>/</Delimiter><IsTruncated>true</IsTruncated><CommonPrefixes>"
                     "<Prefix>d%20i/</Prefix></CommonPrefixes><KeyMarker>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Key>a%2Fb%20c</Key>"), std::string::npos) << xml;
  r.truncated = false;
  EXPECT_EQ(RenderListVersions(echo, r).find("NextKeyMarker"), std::string::npos);
}

TEST(RgwUrlEncode, MatchesRadosgwTable) {
  EXPECT_EQ(RgwUrlEncode("a b+c/d", true), "a%20b%2Bc%2Fd");
  EXPECT_EQ(RgwUrlEncode("a b+c/d", false), "a%20b%2Bc/d");
  EXPECT_EQ(RgwUrlEncode("~!*'()$|-_.", true), "~!*'()$|-_.");  // radosgw leaves these
  EXPECT_EQ(RgwUrlEncode("\"#%&,:;<=>?@[\\]^`{}", true),
            "%22%23%25%26%2C%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7D");
  EXPECT_EQ(RgwUrlEncode("\xc3\xbc\x7f\x01", true), "%C3%BC%7F%01");
}

TEST(RenderListObjects, V1HasRadosgwOrder) {
  ListObjectsEcho echo;
  echo.bucket = "b";
  echo.tenant = "t1";
  echo.delimiter = "/";
  echo.marker = "m+1";
  echo.url_encode = true;
  api::ListObjectsResult r;
  r.objects = {Obj("x/y z", 3)};
  r.common_prefixes = {"d/"};
  r.truncated = true;
  r.next_marker = "x/y z";
  std::string xml = RenderListObjectsV1(echo, r);
  const char* order[] = {"<EncodingType>url</EncodingType>", "<Tenant>t1</Tenant>", "<Name>b</Name>",
                         "<MaxKeys>", "<Delimiter>/</Delimiter>", "<IsTruncated>true</IsTruncated>",
                         "<CommonPrefixes><Prefix>d/</Prefix></CommonPrefixes>",
                         "<Key>x%2Fy%20z</Key>", "<Type>Normal</Type>", "<Marker>m%2B1</Marker>",
                         "<NextMarker>x/y%20z</NextMarker>"};
  size_t at = 0;
  for (const char* part : order) {
    size_t found = xml.find(part, at);
    ASSERT_NE(found, std::string::npos) << part << " missing or out of order in " << xml;
    at = found;
  }
}

}  // namespace
}  // namespace kelp::s3
