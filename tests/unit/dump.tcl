# dump.tcl: DUMP and RESTORE.  Payloads must move between ringkv and Redis
# 7.0 in both directions: when Debian's redis-server is installed, values are
# dumped on one server and restored on the other.

proc dump_reference_start {} {
    foreach p {/usr/bin/redis-server /usr/local/bin/redis-server} {
        if {[file executable $p]} {
            set port [::rkv::find_free_port]
            set dir [tmpdir dumpref]
            set pid [exec $p --port $port --bind 127.0.0.1 --save "" --dir $dir >& $dir/log &]
            wait_for_condition 200 20 {[server_is_up 127.0.0.1 $port 1]} else { fail "reference did not start" }
            return [list $pid $port]
        }
    }
    return {}
}

# Values exercising every string encoding: int8/16/32, plain, LZF-compressible,
# binary, empty, big.
# A DUMP payload around a value body: RDB version 10 and a CRC64 of zero
# (tests that use it turn checksum validation off with DEBUG).
proc dump_with_trailer {body} {
    return "$body\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00"
}

proc dump_sample_values {} {
    list 0 -1 127 -128 32767 -32768 2147483647 -2147483648 2147483648 \
        9223372036854775807 -9223372036854775808 01 " 1" "" hello \
        [string repeat a 100] [string repeat abcdefgh 1000] \
        [binary format c* {0 13 10 255 1 2 3}] [string repeat "\x00\xff" 5000]
}

start_server {tags {dump}} {
    test {DUMP of a missing key is null} {
        assert_equal {} [r dump nokey]
    }

    test {DUMP / RESTORE round trip of strings, every encoding} {
        set i 0
        foreach v [dump_sample_values] {
            r set k$i $v
            set payload [r dump k$i]
            r restore copy$i 0 $payload
            assert_equal $v [r get copy$i]
            assert_equal [r object encoding k$i] [r object encoding copy$i]
            incr i
        }
    }

    test {RESTORE with TTL, ABSTTL, and an already expired TTL} {
        r set src v
        set p [r dump src]
        r restore withttl 5000 $p
        assert_range [r pttl withttl] 4000 5000
        r restore abs [expr {[clock milliseconds] + 100000}] $p absttl
        assert_range [r ttl abs] 98 100
        assert_equal OK [r restore gone 1 $p absttl]
        assert_equal 0 [r exists gone]
        r set replaced x
        assert_equal OK [r restore replaced 1 $p absttl replace]
        assert_equal 0 [r exists replaced]
    }

    test {RESTORE errors, in Redis's order} {
        r set busy v
        set p [r dump busy]
        assert_error {BUSYKEY Target key name already exists.} {r restore busy 0 $p}
        assert_error {ERR syntax error} {r restore busy 0 $p foo}
        assert_error {ERR Invalid IDLETIME value, must be >= 0} {r restore n 0 $p idletime -1}
        assert_error {ERR Invalid FREQ value, must be >= 0 and <= 255} {r restore n 0 $p freq 256}
        assert_error {ERR syntax error} {r restore n 0 $p idletime 1 freq 1}
        assert_error {ERR Invalid TTL value, must be >= 0} {r restore n -1 $p}
        assert_error {ERR value is not an integer or out of range} {r restore n abc $p}
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore n 0 garbage}
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore n 0 ""}
        # A flipped byte in the value breaks the checksum.
        set bad [string replace $p 2 2 [expr {[string index $p 2] eq "x" ? "y" : "x"}]]
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore n 0 $bad}
        assert_equal 0 [r exists n]
    }

    test {RESTORE of a corrupt value with a valid checksum is refused} {
        # With the checksum not checked (DEBUG), the decoder itself must
        # refuse lengths it cannot trust: a 200-byte string with 3 bytes, an
        # LZF string whose sizes lie, an unsupported type.
        r debug set-skip-checksum-validation 1
        foreach payload [list "\x00\x40\xc8abc" "\x00\xc3\x10\x20abc" "\x09abc" "\x00"] {
            set p [dump_with_trailer $payload]
            assert_error {ERR Bad data format} {r restore n 0 $p}
        }
        r debug set-skip-checksum-validation 0
        assert_error {ERR DUMP payload version or checksum are wrong} {r restore n 0 [dump_with_trailer "\x00\x01a"]}
    } {needs:debug}

    test {RESTORE fuzzing: mutated payloads never crash the server} {
        r debug set-skip-checksum-validation 1
        set seeds {}
        foreach v [dump_sample_values] { r set f $v; lappend seeds [r dump f] }
        for {set i 0} {$i < 3000} {incr i} {
            set p [lindex $seeds [expr {$i % [llength $seeds]}]]
            set body [string range $p 0 end-10]
            # Flip, insert or cut bytes of the value part.
            for {set m 0} {$m < 1 + $i % 4} {incr m} {
                set pos [expr {int(rand() * ([string length $body] + 1))}]
                switch [expr {int(rand() * 3)}] {
                    0 { set body [string replace $body $pos $pos [format %c [expr {int(rand() * 256)}]]] }
                    1 { set body [string range $body 0 [expr {$pos - 1}]][format %c [expr {int(rand() * 256)}]][string range $body $pos end] }
                    2 { set body [string range $body 0 [expr {$pos - 1}]] }
                }
            }
            catch {r restore fz 0 [dump_with_trailer $body] replace}
        }
        r debug set-skip-checksum-validation 0
        assert_equal PONG [r ping]
    } {needs:debug}

    test {RESTORE REPLACE overwrites, IDLETIME sets the idle time} {
        r set k old
        r set other new
        r restore k 0 [r dump other] replace idletime 1000
        # Before any read: GET would reset the idle time.
        assert_range [r object idletime k] 999 1010
        assert_equal new [r get k]
    }

    set ref [dump_reference_start]
    if {$ref eq ""} {
        test {DUMP interoperability with Redis: redis-server not installed} { skip "no redis-server" }
    } else {
        lassign $ref refpid refport
        set rc [::rkv::client::open 127.0.0.1 $refport]
        test {Payloads dumped by Redis 7.0 restore in ringkv, and the other way} {
            set i 0
            foreach v [dump_sample_values] {
                $rc set k$i $v
                r restore fromredis$i 0 [$rc dump k$i] replace
                assert_equal $v [r get fromredis$i]
                r set k$i $v
                $rc restore fromringkv$i 0 [r dump k$i] replace
                assert_equal $v [$rc get fromringkv$i]
                incr i
            }
        }
        test {Sets, hashes and sorted sets move between Redis and ringkv in both encodings} {
            foreach enc {compact big} {
                foreach srv [list r $rc] {
                    if {$srv eq "r"} { set cmd r } else { set cmd $rc }
                    $cmd config set set-max-intset-entries [expr {$enc eq "compact" ? 512 : 0}]
                    $cmd config set hash-max-listpack-entries [expr {$enc eq "compact" ? 128 : 0}]
                    $cmd config set zset-max-listpack-entries [expr {$enc eq "compact" ? 128 : 0}]
                    $cmd del iset sset hsh zs lst
                    $cmd config set list-max-listpack-size [expr {$enc eq "compact" ? -2 : 4}]
                    $cmd config set list-compress-depth [expr {$enc eq "compact" ? 0 : 1}]
                    for {set i 0} {$i < 50} {incr i} { $cmd rpush lst e$i $i [string repeat q 30] }
                    $cmd zadd zs 1 a 2.5 b -inf c inf d 3 [string repeat w 40]
                    $cmd sadd iset 1 2 3 -5 100000 9223372036854775807
                    $cmd sadd sset a b c 1 [string repeat z 100]
                    $cmd hset hsh f1 v1 f2 12 f3 [string repeat y 50]
                }
                foreach k {iset sset hsh zs lst} {
                    r restore from:$k 0 [$rc dump $k] replace
                    $rc restore from:$k 0 [r dump $k] replace
                }
                foreach srv [list r $rc] {
                    if {$srv eq "r"} { set cmd r } else { set cmd $rc }
                    assert_equal [lsort [$cmd smembers iset]] [lsort [$cmd smembers from:iset]]
                    assert_equal [lsort [$cmd smembers sset]] [lsort [$cmd smembers from:sset]]
                    assert_equal [lsort [$cmd hgetall hsh]] [lsort [$cmd hgetall from:hsh]]
                    assert_equal [$cmd zrange zs 0 -1 withscores] [$cmd zrange from:zs 0 -1 withscores]
                    assert_equal [$cmd lrange lst 0 -1] [$cmd lrange from:lst 0 -1]
                }
                if {$enc eq "compact"} {
                    # Redis's formats, so the blobs are identical (compared
                    # uncompressed: the two LZF compressors choose different,
                    # equally valid matches).
                    r config set rdbcompression no
                    $rc config set rdbcompression no
                    assert_equal [$rc dump iset] [r dump iset]
                    assert_equal [$rc dump hsh] [r dump hsh]
                    assert_equal [$rc dump zs] [r dump zs]
                    assert_equal [$rc dump lst] [r dump lst]
                    r config set rdbcompression yes
                    $rc config set rdbcompression yes
                }
            }
            foreach srv [list r $rc] {
                if {$srv eq "r"} { set cmd r } else { set cmd $rc }
                $cmd config set set-max-intset-entries 512
                $cmd config set hash-max-listpack-entries 128
                $cmd config set zset-max-listpack-entries 128
                $cmd config set list-max-listpack-size -2
                $cmd config set list-compress-depth 0
            }
        }

        test {Uncompressed and integer payloads are byte-identical to Redis's} {
            foreach v {hello 0 -1 12345 2147483647 9223372036854775807 abcdefghijklmnopqrst} {
                $rc set x $v
                r set x $v
                assert_equal [$rc dump x] [r dump x]
            }
        }
        $rc close
        catch {exec kill $refpid}
    }
}
