#!/usr/bin/env bash
# kelp-admin end to end: commands, JSON, exit codes and radosgw-admin's error
# messages on an embedded store; the golden dump import; and the forwarding
# path through DIR/kelpd.sock while another process holds the store.
# Usage: admin_cli_test.sh KELP_ADMIN HOLDER DUMP_DIR
set -u
ADMIN=$1
HOLDER=$2
DUMP=$3
TMP=$(mktemp -d /tmp/kelp-admin-cli.XXXXXX)
HOLDER_PID=
cleanup() {
  if [ -n "$HOLDER_PID" ]; then kill "$HOLDER_PID" 2>/dev/null; wait "$HOLDER_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }

# run DIR args...: sets RC, OUT, ERR
run() {
  local dir=$1; shift
  "$ADMIN" --data "$dir" "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}
expect_rc() {  # expected-rc description
  [ "$RC" -eq "$1" ] || fail "$2: rc=$RC, want $1 (stderr: $ERR)"
}
expect_err() {  # substring description
  case "$ERR" in *"$1"*) ;; *) fail "$2: stderr '$ERR' lacks '$1'" ;; esac
}
# json EXPR: evaluates a Python expression over j = parsed stdout
json() {
  printf '%s' "$OUT" | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print(($1))"
}
expect_json() {  # expr expected description
  local got
  got=$(json "$1" 2>&1) || { fail "$3: stdout is not JSON: $OUT"; return; }
  [ "$got" = "$2" ] || fail "$3: $1 = '$got', want '$2'"
}

D=$TMP/store

# --- users ---
run "$D" user create --uid=alice --display-name="Alice L" --email=alice@example.com
expect_rc 0 "user create"
expect_json 'j["user_id"]' alice "user create"
expect_json 'len(j["keys"][0]["access_key"]), len(j["keys"][0]["secret_key"])' "(20, 40)" "generated keys"
expect_json 'j["keys"][0]["access_key"].isupper()' True "access key upper-case"
AK=$(json 'j["keys"][0]["access_key"]')

run "$D" user create --uid=alice --display-name=Other
expect_rc 17 "duplicate uid"
expect_err "could not create user: unable to create user, user: alice exists" "duplicate uid"

run "$D" user create --uid=bob --display-name=Bob --email=alice@example.com
expect_rc 17 "duplicate email"
expect_err "email: alice@example.com is the email address an existing user" "duplicate email"

run "$D" user create --uid=bob --display-name=Bob --access-key=BOBKEY00000000000001 --secret-key=bobsecret
expect_rc 0 "user create with keys"
expect_json '[(k["access_key"], k["secret_key"]) for k in j["keys"]]' "[('BOBKEY00000000000001', 'bobsecret')]" "given keys"

run "$D" user info --uid=nobody
expect_rc 2 "user info missing"
expect_err "could not fetch user info: no user info saved" "user info missing"

run "$D" user info --access-key="$AK"
expect_rc 0 "user info by key"
expect_json 'j["user_id"]' alice "user info by key"

run "$D" user modify --uid=alice --display-name="Alice Liddell" --max-buckets=5
expect_rc 0 "user modify"
expect_json 'j["display_name"], j["max_buckets"]' "('Alice Liddell', 5)" "user modify"

run "$D" user modify --uid=alice --access-key="$AK" --secret-key=newsecret
expect_json '[k["secret_key"] for k in j["keys"] if k["access_key"] == "'"$AK"'"]' "['newsecret']" "user modify sets a key's secret"

run "$D" key create --uid=alice --key-type=s3 --gen-access-key --gen-secret
expect_rc 0 "key create"
expect_json 'len(j["keys"])' 2 "key create"
run "$D" key rm --uid=alice --access-key="$AK"
expect_rc 0 "key rm"
expect_json '[k["access_key"] for k in j["keys"]].count("'"$AK"'")' 0 "key rm"
run "$D" user info --access-key="$AK"
expect_rc 2 "removed key no longer finds the user"

run "$D" user suspend --uid=alice
expect_rc 0 "suspend"
expect_json 'j["suspended"]' 1 "suspend"
run "$D" user enable --uid=alice
expect_json 'j["suspended"]' 0 "enable"

run "$D" user list
expect_rc 0 "user list"
expect_json 'sorted(j)' "['alice', 'bob']" "user list"

run "$D" zone get
expect_json 'j["name"], j["domain_root"], len(j["id"])' "('default', 'default.rgw.meta:root', 36)" "zone get"
run "$D" zonegroup get
expect_json 'j["name"], j["zones"][0]["bucket_index_max_shards"]' "('default', 11)" "zonegroup get"
run "$D" metadata list
expect_json 'j' "['bucket', 'bucket.instance', 'otp', 'user']" "metadata list"
run "$D" metadata get user:alice
expect_rc 0 "metadata get user"
expect_json 'j["key"], j["data"]["user_id"], j["ver"]["ver"]' "('user:alice', 'alice', 7)" "metadata get user"
run "$D" metadata get user:nobody
expect_rc 2 "metadata get missing"
expect_err "ERROR: can't get key: (2) No such file or directory" "metadata get missing"

run "$D" bucket list
expect_rc 0 "bucket list"
expect_json 'j' "[]" "bucket list"
run "$D" bucket stats --bucket=nope
expect_rc 2 "bucket stats missing"
expect_err "No such file or directory" "bucket stats missing"

run "$D" user rm --uid=bob
expect_rc 0 "user rm"
run "$D" user rm --uid=bob
expect_rc 2 "user rm twice"
run "$D" user info --access-key=BOBKEY00000000000001
expect_rc 2 "user rm drops the key index"

run "$D" user create --uid=carol --display-name=Carol --email=Carol@Example.COM
expect_json 'j["email"]' carol@example.com "e-mail kept lower-case like radosgw-admin"
run "$D" user info --email=CAROL@example.com
expect_json 'j["user_id"]' carol "user info by e-mail"

run "$D" user frobnicate
expect_rc 22 "unknown command"

# --- golden dump import ---
G=$TMP/golden
run "$G" store import-dump "$DUMP"
expect_rc 0 "import-dump"
expect_json 'j["objects"]' "$(/usr/bin/python3 -c "import json; print(json.load(open('$DUMP/manifest.json'))['object_count'])")" "import-dump count"
run "$G" store import-dump "$DUMP"
expect_rc 17 "import-dump into a non-empty store"
# --- object put/get/rm, bucket list, bucket scan (on the imported buckets) ---
head -c 9437184 /dev/urandom >"$TMP/big.bin"
"$ADMIN" --data "$G" object put --bucket=plain-bucket --object=piped/big --infile - \
  --content-type=application/x-piped --metadata=origin=cli <"$TMP/big.bin" >"$TMP/out" 2>"$TMP/err"
RC=$?; OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
expect_rc 0 "object put from stdin"
expect_json 'j["size"], j["etag"]' "(9437184, '$(md5sum <"$TMP/big.bin" | cut -d' ' -f1)')" "object put from stdin"
"$ADMIN" --data "$G" object get --bucket=plain-bucket --object=piped/big | cmp -s - "$TMP/big.bin" \
  || fail "object get to stdout differs from what was put"
run "$G" object get --bucket=plain-bucket --object=piped/big --outfile="$TMP/got.bin"
expect_rc 0 "object get --outfile"
cmp -s "$TMP/got.bin" "$TMP/big.bin" || fail "object get --outfile differs from what was put"
run "$G" object stat --bucket=plain-bucket --object=piped/big
expect_json 'j["size"], j["attrs"]["user.rgw.content_type"], j["attrs"]["user.rgw.x-amz-meta-origin"]' \
  "(9437184, 'application/x-piped', 'cli')" "object stat of a put object"
run "$G" bucket list --bucket=plain-bucket
expect_json '[e["meta"]["size"] for e in j if e["name"] == "piped/big"]' "[9437184]" "bucket list --bucket"
expect_json 'sorted(j[0].keys()) == sorted(["name", "instance", "ver", "locator", "exists", "meta", "tag", "flags", "pending_map", "versioned_epoch"])' True "bucket list entry shape"
N=$(json 'len(j)')
run "$G" bucket list --bucket=plain-bucket --max-entries=2
expect_json 'len(j)' 2 "bucket list --max-entries"
FIRST=$(json 'j[0]["name"]')
run "$G" bucket list --bucket=plain-bucket --marker="$FIRST"
expect_json 'len(j)' $((N - 1)) "bucket list --marker"
run "$G" object get --bucket=plain-bucket --object=nope
expect_rc 2 "object get of a missing object"
expect_err "ERROR: failed to read object: (2) No such file or directory" "object get of a missing object"
run "$G" object put --bucket=nope --object=x --infile=- </dev/null
expect_rc 2 "object put into a missing bucket"
expect_err "ERROR: could not init bucket: (2) No such file or directory" "object put into a missing bucket"
run "$G" object put --bucket=plain-bucket --infile=-
expect_rc 22 "object put without --object"
expect_err "ERROR: object not specified" "object put without --object"
run "$G" object rm --bucket=plain-bucket --object=piped/big
expect_rc 0 "object rm"
run "$G" object rm --bucket=plain-bucket --object=piped/big
expect_rc 2 "object rm of a missing object"
expect_err "ERROR: object remove returned: (2) No such file or directory" "object rm of a missing object"
run "$G" bucket stats --bucket=plain-bucket
OBJS=$(json 'j["usage"]["rgw.main"]["num_objects"]')
# radosgw's dump leaves one tail to its gc: gc's, not an orphan; --fix leaves it alone.
run "$G" gc list --include-all
expect_rc 0 "gc list --include-all"
GCN=$(json 'len(j)')
[ "${GCN:-0}" -ge 1 ] || fail "gc list shows radosgw's entries: got '$GCN'"
run "$G" bucket scan --bucket=plain-bucket
expect_rc 0 "bucket scan (the gc-owned tail is not an orphan)"
expect_json 'len(j["orphan_tails"]), j["dangling_entries"], j["orphan_heads"], j["mismatched"]' "(0, [], [], [])" "bucket scan report"
run "$G" bucket scan --bucket=plain-bucket --fix --min-age-seconds=0
expect_rc 0 "bucket scan --fix"
run "$G" gc list --include-all
expect_json 'len(j)' "$GCN" "bucket scan --fix left the gc entries' tails to gc"
run "$G" bucket stats --bucket=plain-bucket
expect_json 'j["usage"]["rgw.main"]["num_objects"]' "$OBJS" "bucket scan --fix keeps the stats"
run "$G" bucket scan --bucket=nope
expect_rc 2 "bucket scan of a missing bucket"
run "$G" --ceph-conf="$TMP/no-such-ceph.conf" user list
[ "$RC" -ne 0 ] || fail "--ceph-conf without a cluster must fail"
expect_err "kelp-admin: cannot open store" "--ceph-conf without a cluster"

run "$G" user info --uid=tester
expect_rc 0 "imported user"
expect_json 'j["keys"][0]["access_key"]' TESTER0ACCESSKEY0001 "imported user keys"
run "$G" bucket list
expect_json 'len(j)' 7 "imported buckets"
run "$G" user stats --uid=sleeper
expect_rc 0 "user stats"
expect_json 'j["last_stats_sync"]' 0.000000 "user stats"
run "$G" user stats --uid=twokeys
expect_rc 2 "user stats of a user without buckets"
expect_err "User has not been initialized or user does not exist" "user stats without buckets"
run "$G" bucket list --uid=acme\$alice
expect_json 'j' "['alice-bucket']" "tenant user's buckets"
run "$G" bucket stats --bucket=sleeper-bucket
expect_rc 0 "bucket stats"
expect_json 'j["usage"]["rgw.main"]["num_objects"], j["num_shards"], j["owner"]' "(1, 11, 'sleeper')" "bucket stats"
run "$G" bucket stats --bucket=acme/alice-bucket
BID=$(json 'j["id"]')
run "$G" metadata get "bucket.instance:acme/alice-bucket:$BID"
expect_rc 0 "metadata get tenant instance"
expect_json 'j["data"]["bucket_info"]["bucket"]["tenant"]' acme "metadata get tenant instance"
run "$G" object stat --bucket=sleeper-bucket --object=before-suspension.txt
expect_rc 0 "object stat"
expect_json 'j["size"], j["etag"]' "(25, '0d71ac14dd80220be06b2f60fe94795e')" "object stat"
run "$G" bi list --bucket=sleeper-bucket
expect_rc 0 "bi list"
expect_json '[e["idx"] for e in j]' "['before-suspension.txt']" "bi list"
run "$G" bucket rm --bucket=sleeper-bucket
expect_rc 39 "bucket rm non-empty"
expect_err "could not remove non-empty bucket sleeper-bucket" "bucket rm non-empty"
run "$G" bucket rm --bucket=sleeper-bucket --purge-objects
expect_rc 0 "bucket rm --purge-objects"
run "$G" bucket list
expect_json 'len(j), "sleeper-bucket" in j' "(6, False)" "purged bucket is gone"
run "$G" bucket list --uid=sleeper
expect_json 'j' "[]" "purged bucket unlinked from its owner"
run "$G" bucket link --bucket=public-bucket --uid=twokeys
expect_rc 0 "bucket link"
run "$G" bucket list --uid=twokeys
expect_json 'j' "['public-bucket']" "bucket link: new owner"
run "$G" bucket stats --bucket=public-bucket
expect_json 'j["owner"]' twokeys "bucket link: stats owner"

run "$G" user rm --uid='acme$alice'
expect_rc 39 "user rm of a bucket owner"
expect_err "must specify purge data to remove user with buckets" "user rm of a bucket owner"
run "$G" user rm --uid='acme$alice' --purge-data
expect_rc 0 "user rm --purge-data"
run "$G" bucket list
expect_json '"acme/alice-bucket" in j' False "user rm --purge-data removes the buckets"
run "$G" user info --access-key=ALICE00ACCESSKEY0001
expect_rc 2 "user rm --purge-data removes the keys"

# --- forwarding to the process that holds the store ---
F=$TMP/fwd
run "$F" user create --uid=early --display-name=Early
expect_rc 0 "user create before the holder starts"
"$HOLDER" "$F" >"$TMP/holder.out" 2>"$TMP/holder.err" &
HOLDER_PID=$!
for _ in $(seq 100); do
  grep -q ready "$TMP/holder.out" 2>/dev/null && break
  sleep 0.1
done
grep -q ready "$TMP/holder.out" || fail "holder did not start: $(cat "$TMP/holder.err")"
run "$F" user create --uid=forwarded --display-name=Fwd
expect_rc 0 "forwarded user create"
expect_json 'j["user_id"]' forwarded "forwarded user create"
run "$F" user create --uid=forwarded --display-name=Fwd
expect_rc 17 "forwarded error exit code"
expect_err "user: forwarded exists" "forwarded error message"
run "$F" user list
expect_json 'sorted(j)' "['early', 'forwarded']" "forwarded user list"
run "$F" store import-dump "$DUMP"
[ "$RC" -ne 0 ] || fail "import-dump must be refused while the store is held"
echo data | "$ADMIN" --data "$F" object put --bucket=any --object=x --infile - >"$TMP/out" 2>"$TMP/err"
RC=$?; ERR=$(cat "$TMP/err")
expect_rc 16 "object put is not forwarded"
expect_err "object put/get cannot go through the admin socket" "object put is not forwarded"
run "$F" bucket scan --bucket=nope
expect_rc 2 "forwarded bucket scan"
expect_err "could not init bucket" "forwarded bucket scan"
kill "$HOLDER_PID"
wait "$HOLDER_PID"
HOLDER_PID=
[ -e "$F/kelpd.sock" ] && fail "holder left its socket behind"
run "$F" user info --uid=forwarded
expect_rc 0 "offline read of a forwarded write"

if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed" >&2
  exit 1
fi
echo "admin_cli_test: all checks passed"
