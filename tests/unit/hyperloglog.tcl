# hyperloglog.tcl: PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST.
#
# HyperLogLogs are strings in Redis's own byte layout, so besides replies these
# tests pin the exact bytes: golden values recorded from Redis 7.0 (sparse
# values in hex, dense ones by length + CRC-32), and, when Debian's
# redis-server is installed, a live comparison of the bytes both servers build
# from the same random commands.  Corrupted values (SETRANGE into an HLL) must
# give errors, never a crash: a fuzz loop checks that.

source [file join [file dirname [info script]] .. support difftest.tcl]

proc hll_hex {key} {
    binary scan [r get $key] H* hex
    return $hex
}

# Length and CRC-32 of a value: a compact fingerprint for 12 KB dense values.
proc hll_fingerprint {key} {
    set v [r get $key]
    return [list [string length $v] [zlib crc32 $v]]
}

# The elements e0 .. e(n-1).
proc hll_elements {n {prefix e}} {
    set out {}
    for {set i 0} {$i < $n} {incr i} { lappend out "$prefix$i" }
    return $out
}

# Byte offset of the cached-cardinality byte that holds the stale flag.
set ::hll_stale_byte 15

proc hll_cache_stale {key} {
    binary scan [string index [r get $key] $::hll_stale_byte] cu b
    return [expr {($b & 0x80) != 0}]
}

start_server {tags {"hll"}} {

# ---------------------------------------------------------------- PFADD

test {PFADD creates an empty sparse HLL with the exact Redis bytes} {
    r flushdb
    assert_equal 1 [r pfadd h]
    # Header "HYLL", sparse, 3 zero bytes, cache 0 marked stale, then one
    # XZERO opcode covering the 16384 registers.
    assert_equal 48594c4c010000000000000000000080 [string range [hll_hex h] 0 31]
    assert_equal 48594c4c0100000000000000000000807fff [hll_hex h]
    assert_equal raw [r object encoding h]
    assert_equal sparse [r pfdebug encoding h]
}

test {PFADD returns 1 only when a register changes} {
    r flushdb
    assert_equal 1 [r pfadd h a b c]
    assert_equal 0 [r pfadd h a b c]
    assert_equal 0 [r pfadd h]
    assert_equal 0 [r pfadd h b]
    assert_equal 1 [r pfadd h d]
}

test {PFADD builds the same sparse bytes as Redis} {
    r flushdb
    r pfadd h a b c
    assert_equal 48594c4c01000000000000000000008060f38050b1844bfb80425a [hll_hex h]
    assert_equal {Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603} [r pfdebug decode h]
    r pfadd s100 {*}[hll_elements 100]
    assert_equal 48594c4c01000000000000000000008036843c8040a9a40e88409084406c9c048840e28041358840d380411d8840898041168c419080098040e08040948041578440a280408384405d8440e1844199844081803c844047840780404e80408f840984405184268441258440d38042638040a280404b8c406f80420b8c41798041478041638040668440f98c0184218811804182844062803088407984228040de8440d3884045800a88420090118440c184018041138440848c1684228040a88440e180422a84410384168041178441658c414e802680058040598040ec882e88413c880380405b841b803f80409b802184412e88408f90407e80408480415f8033844079844193844058902e80406a840d8039801380409a882880408c [hll_hex s100]
}

test {PFADD one element at a time gives the same bytes as one call} {
    r flushdb
    r pfadd one {*}[hll_elements 300]
    foreach e [hll_elements 300] { r pfadd many $e }
    assert_equal [r get one] [r get many]
}

test {PFADD elements are binary safe} {
    r flushdb
    r pfadd h "a\x00b" "a\x00c" "" "\xff\xfe"
    assert_equal 4 [r pfcount h]
    assert_equal 0 [r pfadd h "a\x00b" ""]
    assert_equal 1 [r pfadd h "a\x00d"]
}

test {PFADD on a key holding another type or a plain string is an error} {
    r flushdb
    r set str hello
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfadd str a}
    r set num 12345
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfadd num a}
    assert_equal hello [r get str]
}

test {PFADD against a list is the generic WRONGTYPE error} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r pfadd l a}
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r pfcount l}
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r pfmerge l}
} {needs:types}

test {PFADD and PFCOUNT arity} {
    assert_error {ERR wrong number of arguments for 'pfadd' command} {r pfadd}
    assert_error {ERR wrong number of arguments for 'pfcount' command} {r pfcount}
    assert_error {ERR wrong number of arguments for 'pfmerge' command} {r pfmerge}
}

# ------------------------------------------------------- sparse -> dense

test {Sparse HLL turns dense past hll-sparse-max-bytes} {
    r flushdb
    r config set hll-sparse-max-bytes 30
    r pfadd h a b c
    assert_equal sparse [r pfdebug encoding h]
    r pfadd h {*}[hll_elements 10]
    assert_equal dense [r pfdebug encoding h]
    assert_equal 12304 [r strlen h]
    r config set hll-sparse-max-bytes 3000
}

test {Dense HLL bytes and count match Redis} {
    r flushdb
    r config set hll-sparse-max-bytes 3000
    foreach e [hll_elements 5000] { r pfadd d $e }
    assert_equal dense [r pfdebug encoding d]
    assert_equal {12304 359308535} [hll_fingerprint d]
    assert_equal 4968 [r pfcount d]
}

test {The promotion point does not change the registers} {
    r flushdb
    foreach max {0 50 300 3000 100000} {
        r config set hll-sparse-max-bytes $max
        r del h
        r pfadd h {*}[hll_elements 2000 x]
        r pfdebug todense h
        lappend regs [r pfdebug getreg h]
        lappend counts [r pfcount h]
    }
    r config set hll-sparse-max-bytes 3000
    assert_equal 1 [llength [lsort -unique $counts]]
    assert_equal 1 [llength [lsort -unique $regs]]
}

test {A register above 32 makes a sparse HLL dense} {
    r flushdb
    r config set hll-sparse-max-bytes 3000
    r pfadd h a b
    assert_equal sparse [r pfdebug encoding h]
    # This element's hash has 34 zero bits above the register index, so its
    # register must hold 35: more than a sparse VAL opcode can (32).  Found
    # by brute force.
    assert_equal 1 [r pfadd h r4510631427]
    assert_equal dense [r pfdebug encoding h]
    assert_equal {12304 4185321833} [hll_fingerprint h]
    assert_equal 3 [r pfcount h]
    assert_equal 35 [lindex [r pfdebug getreg h] 14605]
}

test {hll-sparse-max-bytes 0: the first register set makes it dense} {
    r flushdb
    r config set hll-sparse-max-bytes 0
    r pfadd h
    assert_equal sparse [r pfdebug encoding h]
    r pfadd h a
    assert_equal dense [r pfdebug encoding h]
    assert_equal 1 [r pfcount h]
    r config set hll-sparse-max-bytes 3000
}

# ---------------------------------------------------------------- PFCOUNT

test {PFCOUNT of a missing key is 0} {
    r flushdb
    assert_equal 0 [r pfcount nokey]
    assert_equal 0 [r exists nokey]
}

test {PFCOUNT writes the cached cardinality (little endian, fresh)} {
    r flushdb
    r pfadd h a b c
    assert_equal 1 [hll_cache_stale h]
    assert_equal 3 [r pfcount h]
    assert_equal 0 [hll_cache_stale h]
    assert_equal 48594c4c0100000003000000000000006 [string range [hll_hex h] 0 32]
    # A PFADD that changes nothing keeps the cache; one that does marks it.
    r pfadd h a
    assert_equal 0 [hll_cache_stale h]
    r pfadd h zz
    assert_equal 1 [hll_cache_stale h]
    assert_equal 4 [r pfcount h]
}

test {PFCOUNT uses the cache as it is when it is marked fresh} {
    r flushdb
    r pfadd h a b c
    r pfcount h
    # Forge a cached value of 0x0102 (fresh): PFCOUNT must trust it.
    r setrange h 8 "\x02\x01\x00\x00\x00\x00\x00\x00"
    assert_equal 258 [r pfcount h]
}

test {PFCOUNT approximation error stays within bounds} {
    r flushdb
    set n 0
    foreach target {10 100 1000 10000 50000} {
        set batch {}
        while {$n < $target} { lappend batch "el$n"; incr n }
        r pfadd h {*}$batch
        set est [r pfcount h]
        set err [expr {abs($est - $n) / double($n)}]
        assert {$err < 0.05} "n=$n estimate=$est"
    }
}

test {PFCOUNT of several keys is the union, and modifies nothing} {
    r flushdb
    r pfadd h1 {*}[hll_elements 100 a]
    r pfadd h2 {*}[hll_elements 100 b]
    r pfadd h3 {*}[hll_elements 50 a]
    set before [list [r get h1] [r get h2] [r get h3]]
    set u [r pfcount h1 h2 h3 nokey]
    assert_range $u 190 210
    assert_equal $before [list [r get h1] [r get h2] [r get h3]]
    assert_equal 1 [hll_cache_stale h1]
    # The union of a key with itself is the key.
    assert_equal [r pfcount h1] [r pfcount h1 h1]
    assert_equal 0 [r pfcount nokey1 nokey2]
}

test {PFCOUNT of several keys mixing sparse and dense} {
    r flushdb
    r pfadd s {*}[hll_elements 100 a]
    r pfadd d {*}[hll_elements 100 b]
    r pfdebug todense d
    assert_range [r pfcount s d] 190 210
}

test {PFCOUNT of several keys with a non-HLL is an error} {
    r flushdb
    r pfadd h a
    r set str foo
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount h str}
}

test {PFCOUNT turns an HLL stored by SET into a raw string} {
    r flushdb
    r pfadd h a b c
    set v [r get h]
    r set copy $v
    assert_equal embstr [r object encoding copy]
    assert_equal 3 [r pfcount copy]
    assert_equal raw [r object encoding copy]
    assert_equal 0 [hll_cache_stale copy]
}

test {PFCOUNT keeps the TTL of the key it refreshes} {
    r flushdb
    r pfadd h a b c
    r expire h 1000
    r pfcount h
    assert_range [r ttl h] 990 1000
}

# ---------------------------------------------------------------- PFMERGE

test {PFMERGE of sparse HLLs gives the Redis bytes and the union count} {
    r flushdb
    r pfadd h1 a b c
    r pfadd h2 c d e
    assert_equal OK [r pfmerge dst h1 h2]
    assert_equal 5 [r pfcount dst]
    r pfadd all a b c d e
    # Same registers as adding everything to one key.
    r pfdebug todense dst
    r pfdebug todense all
    assert_equal [r pfdebug getreg all] [r pfdebug getreg dst]
}

test {PFMERGE includes the destination's own registers} {
    r flushdb
    r pfadd dst x y z
    r pfadd src a
    r pfmerge dst src
    assert_equal 4 [r pfcount dst]
    # Destination alone: merge with nothing keeps it.
    r pfmerge dst
    assert_equal 4 [r pfcount dst]
}

test {PFMERGE creates the destination, even from missing sources} {
    r flushdb
    assert_equal OK [r pfmerge dst nokey]
    assert_equal 48594c4c0100000000000000000000807fff [hll_hex dst]
    assert_equal sparse [r pfdebug encoding dst]
    assert_equal 0 [r pfcount dst]
}

test {PFMERGE result is dense when any input is dense} {
    r flushdb
    r pfadd s a
    r pfadd d b
    r pfdebug todense d
    r pfmerge dst s d
    assert_equal dense [r pfdebug encoding dst]
    assert_equal 2 [r pfcount dst]
    r pfmerge dst2 s
    assert_equal sparse [r pfdebug encoding dst2]
}

test {PFMERGE keeps a dense register above 32 (dense destination)} {
    r flushdb
    r pfadd d x
    r pfdebug todense d
    # Register 0 occupies the low 6 bits of the first register byte (16):
    # set it to 40, a value the sparse format cannot hold.
    r setrange d 16 [binary format c 40]
    r pfadd dst a
    r pfmerge dst2 dst
    assert_equal sparse [r pfdebug encoding dst2]
    r pfmerge dst d
    assert_equal dense [r pfdebug encoding dst]
    assert_equal 40 [lindex [r pfdebug getreg dst] 0]
}

test {PFMERGE with a non-HLL source or destination is an error} {
    r flushdb
    r pfadd h a
    r set str foo
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfmerge dst h str}
    assert_equal 0 [r exists dst]
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfmerge str h}
    assert_equal foo [r get str]
}

test {PFMERGE leaves the cache of the destination stale} {
    r flushdb
    r pfadd dst a
    r pfcount dst
    r pfadd src a
    r pfmerge dst src
    assert_equal 1 [hll_cache_stale dst]
}

# ---------------------------------------------------------------- corruption

test {Header checks: magic, encoding and dense size} {
    r flushdb
    r pfadd h a
    set v [r get h]
    r set bad [string replace $v 0 0 X]
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount bad}
    r set bad [string replace $v 4 4 "\x02"]
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfadd bad x}
    r set bad [string range $v 0 14]
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount bad}
    # A "dense" header on a sparse-sized value.
    r set bad [string replace $v 4 4 "\x00"]
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount bad}
    r pfdebug todense h
    r append h x
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfcount h}
}

test {Corrupted sparse opcodes are INVALIDOBJ errors} {
    r flushdb
    r pfadd h a b c
    # Registers covered no longer add up to 16384.
    r setrange h 16 "\x00\x00\x00"
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount h}
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount h h}
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfmerge dst h}
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfdebug todense h}
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfdebug getreg h}
    # A value run past the last register.
    r del h
    r pfadd h
    r append h "\xff"
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfcount h}
}

test {PFADD into an HLL whose opcodes stop short is INVALIDOBJ} {
    r flushdb
    # 16 bytes of header and one ZERO opcode: 1 register covered.
    r set h "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00"
    assert_error {INVALIDOBJ Corrupted HLL object detected} {r pfadd h a b c d e f g}
}

test {Fuzzing: random SETRANGE into HLLs never crashes the server} {
    r flushdb
    for {set i 0} {$i < 300} {incr i} {
        r del h
        r pfadd h {*}[hll_elements [randomInt 300] "f$i."]
        if {[randomInt 3] == 0} { r pfdebug todense h }
        set len [r strlen h]
        for {set j 0} {$j < 1 + [randomInt 3]} {incr j} {
            set off [expr {[randomInt 2] ? 16 + [randomInt 20] : [randomInt [expr {$len + 2}]]}]
            set bytes ""
            for {set k 0} {$k < 1 + [randomInt 3]} {incr k} { append bytes [format %c [randomInt 256]] }
            r setrange h $off $bytes
        }
        catch {r pfadd h x y z}
        catch {r pfcount h}
        catch {r pfcount h h}
        catch {r pfmerge dst h}
        catch {r pfdebug decode h}
        catch {r pfdebug todense h}
        catch {r pfcount dst}
    }
    assert_equal PONG [r ping]
}

# ---------------------------------------------------------------- PFDEBUG

test {PFDEBUG ENCODING, TODENSE and DECODE} {
    r flushdb
    r pfadd h a b c
    assert_equal sparse [r pfdebug encoding h]
    assert_equal 1 [r pfdebug todense h]
    assert_equal dense [r pfdebug encoding h]
    assert_equal 0 [r pfdebug todense h]
    assert_error {ERR HLL encoding is not sparse} {r pfdebug decode h}
    assert_equal 3 [r pfcount h]
}

test {PFDEBUG DECODE lists z, Z and v runs} {
    r flushdb
    r pfadd h
    assert_equal {Z:16384} [r pfdebug decode h]
    # ZERO (short) runs appear when a register lands near another.
    r pfadd h {*}[hll_elements 100]
    assert_match {*z:*} [r pfdebug decode h]
    assert_match {*v:*} [r pfdebug decode h]
}

test {PFDEBUG GETREG returns all registers and makes the HLL dense} {
    r flushdb
    r pfadd h a b c
    set regs [r pfdebug getreg h]
    assert_equal 16384 [llength $regs]
    assert_equal dense [r pfdebug encoding h]
    # From the decode of {a b c}: registers 8436 (1), 12711 (2), 15780 (1).
    assert_equal {1 2 1} [list [lindex $regs 8436] [lindex $regs 12711] [lindex $regs 15780]]
    set nonzero 0
    foreach v $regs { if {$v} { incr nonzero } }
    assert_equal 3 $nonzero
}

test {PFDEBUG errors} {
    r flushdb
    r pfadd h a
    r set str foo
    assert_error {ERR The specified key does not exist} {r pfdebug encoding nokey}
    assert_error {ERR Unknown PFDEBUG subcommand 'foo'} {r pfdebug foo h}
    assert_error {ERR The specified key does not exist} {r pfdebug foo nokey}
    assert_error {WRONGTYPE Key is not a valid HyperLogLog string value.} {r pfdebug encoding str}
    assert_error {ERR wrong number of arguments for 'pfdebug' command} {r pfdebug getreg h x}
    assert_error {ERR wrong number of arguments for 'pfdebug' command} {r pfdebug getreg}
    # Subcommand names are case-insensitive.
    assert_equal sparse [r pfdebug ENCODING h]
}

test {PFSELFTEST} {
    assert_equal OK [r pfselftest]
}

# ---------------------------------------------------------------- events

test {PFADD and PFMERGE fire the pfadd event} {
    r flushdb
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:pfadd}
    $c read
    r pfadd h a
    r pfadd h a
    r pfmerge dst h
    lassign [$c read] kind pattern channel payload
    assert_equal h $payload
    lassign [$c read] kind pattern channel payload
    assert_equal dst $payload
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

}

# ----------------------------------------------- live comparison with Redis

proc hll_reference_bin {} {
    foreach p {/usr/bin/redis-server /usr/local/bin/redis-server} {
        if {[file executable $p]} { return $p }
    }
    return ""
}

proc hll_ref_cmd {fd args} {
    puts -nonewline $fd [difftest::encode $args]
    flush $fd
    return [difftest::readreply $fd]
}

start_server {tags {"hll"}} {
    set ref [hll_reference_bin]
    if {$ref eq ""} {
        test {HLL byte identity with redis-server: not installed} { skip "no redis-server" }
    } else {
        set port [::rkv::find_free_port]
        set dir [tmpdir hllref]
        set pid [exec $ref --port $port --bind 127.0.0.1 --save "" --dir $dir >& $dir/ref.log &]
        try {
            wait_for_condition 200 20 { [server_is_up 127.0.0.1 $port 1] } else { fail "reference did not start" }
            test {HLL values are byte-identical to redis-server for the same commands} {
                set fd [difftest::connect 127.0.0.1 $port]
                set us [difftest::connect [srv 0 host] [srv 0 port]]
                foreach c [list $fd $us] { hll_ref_cmd $c flushall }
                set keys {h0 h1 h2 h3}
                for {set i 0} {$i < 600} {incr i} {
                    set k [lindex $keys [randomInt 4]]
                    set roll [randomInt 100]
                    if {$roll < 60} {
                        set cmd [list pfadd $k]
                        for {set j [randomInt [lindex {1 5 50 400} [randomInt 4]]]} {$j > 0} {incr j -1} {
                            lappend cmd [randstring 0 12 binary]
                        }
                    } elseif {$roll < 75} {
                        set cmd [list pfcount]
                        for {set j [expr {1 + [randomInt 3]}]} {$j > 0} {incr j -1} { lappend cmd [lindex $keys [randomInt 4]] }
                    } elseif {$roll < 85} {
                        set cmd [list pfmerge $k [lindex $keys [randomInt 4]] [lindex $keys [randomInt 4]]]
                    } elseif {$roll < 90} {
                        set cmd [list config set hll-sparse-max-bytes [lindex {0 40 300 3000 20000} [randomInt 5]]]
                    } elseif {$roll < 95} {
                        set cmd [list pfdebug todense $k]
                    } else {
                        set cmd [list del $k]
                    }
                    set ra [hll_ref_cmd $fd {*}$cmd]
                    set rb [hll_ref_cmd $us {*}$cmd]
                    assert_equal $ra $rb "reply to $cmd"
                    foreach key $keys {
                        assert_equal [hll_ref_cmd $fd get $key] [hll_ref_cmd $us get $key] "bytes of $key after $cmd"
                    }
                }
                close $fd
                close $us
            }
        } finally {
            catch {exec kill $pid}
        }
    }
}
