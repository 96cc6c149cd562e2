# Differential test: a fixed-seed random command stream sent to ringkv and to
# Debian's redis-server (when installed), every reply compared.  Besides the
# pipelined main stream, the runs mix in multi-connection scenarios (pub/sub
# subscribers in RESP2 and RESP3, MULTI/EXEC, WATCH against a second client,
# whole SCAN walks) and compare every keyspace notification.  Longer runs:
# utils/difftest.tcl --count 1000000 --seeds 4.
source [file join [file dirname [info script]] .. support difftest.tcl]

proc diff_reference_bin {} {
    foreach p {/usr/bin/redis-server /usr/local/bin/redis-server} {
        if {[file executable $p]} { return $p }
    }
    return ""
}

# Tagged slow: the watchexpire scenario gives a key a 25 ms TTL and sleeps
# 30 ms, which assumes each server handles a command within 5 ms of its
# arrival; a sanitizer build does not always (test-asan skips slow).
start_server {tags {differential slow}} {
    set ref [diff_reference_bin]
    if {$ref eq ""} {
        test {differential: redis-server not installed} { skip "no redis-server" }
    } else {
        set port [::rkv::find_free_port]
        set dir [tmpdir difftest]
        set pid [exec $ref --port $port --bind 127.0.0.1 --save "" --dir $dir >& $dir/ref.log &]
        try {
            wait_for_condition 200 20 { [server_is_up 127.0.0.1 $port 1] } else { fail "reference did not start" }
            foreach seed {1 2 3 4 5} {
                test "differential: 50000 random commands and scenarios, seed $seed, no differences" {
                    set diffs [difftest::run [srv 0 host] [srv 0 port] 127.0.0.1 $port -seed $seed -count 50000]
                    assert_equal 0 $diffs
                    # The scenarios did run: subscribers received messages.
                    assert_morethan $difftest::stats(scenarios) 100
                    assert_morethan $difftest::stats(messages) 1000
                }
            }
        } finally {
            catch {exec kill $pid}
        }
    }
}
