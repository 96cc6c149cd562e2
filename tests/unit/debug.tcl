# debug.tcl: the DEBUG command.
#
# Covers the subcommands tests and client libraries rely on: HELP and the
# error for unknown subcommands, SLEEP (blocks the whole server),
# SET-ACTIVE-EXPIRE, OBJECT's line, POPULATE, DIGEST and DIGEST-VALUE (what
# must and must not change them), PROTOCOL's sample replies in RESP2 and
# RESP3, HTSTATS, LOG, and refusal when enable-debug-command is off.

set ::zero_digest [string repeat 0 40]

start_server {tags {"debug"}} {

test {DEBUG HELP lists the subcommands} {
    set help [r debug help]
    assert_match {DEBUG <subcommand> *} [lindex $help 0]
    foreach sub {DIGEST DIGEST-VALUE HTSTATS OBJECT POPULATE PROTOCOL SET-ACTIVE-EXPIRE SLEEP} {
        assert {[lsearch -glob $help "$sub*"] >= 0} "$sub missing from DEBUG HELP"
    }
    assert_equal HELP [lindex $help end-1]
}

test {DEBUG with an unknown subcommand or wrong arguments} {
    assert_error {ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP.} \
        {r debug nosuch}
    assert_error {ERR unknown subcommand or wrong number of arguments for 'object'. Try DEBUG HELP.} \
        {r debug object}
    assert_error {ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.} \
        {r debug sleep 1 2}
    assert_error {ERR unknown subcommand or wrong number of arguments for 'digest'. Try DEBUG HELP.} \
        {r debug digest extra}
    assert_error {ERR wrong number of arguments for 'debug' command} {r debug}
}

test {DEBUG SLEEP blocks the whole server} {
    assert_equal OK [r debug sleep 0]
    set rd [redis_deferring_client]
    set start [clock milliseconds]
    $rd debug sleep 0.5
    $rd flush
    after 50
    # Another connection waits for the sleeper.
    assert_equal PONG [r ping]
    set elapsed [expr {[clock milliseconds] - $start}]
    assert_morethan_equal $elapsed 450
    assert_equal OK [$rd read]
    $rd close
}

test {DEBUG SET-ACTIVE-EXPIRE 0 keeps expired keys until they are touched} {
    r flushall
    r debug set-active-expire 0
    for {set i 0} {$i < 10} {incr i} { r set ae:$i v px 10 }
    after 300
    # DBSIZE does not expire keys: they are all still there.
    assert_equal 10 [r dbsize]
    assert_equal {} [r get ae:0]
    assert_equal 9 [r dbsize]
    r debug set-active-expire 1
    wait_for_condition 100 20 {[r dbsize] == 0} else {
        fail "active expiry did not resume"
    }
}

test {DEBUG OBJECT describes the value} {
    r flushall
    r set emb value:0
    r set int 12345
    r set small 5
    # 90 distinct bytes: nothing for Redis's compression to gain.
    set text ""
    for {set i 0} {$i < 90} {incr i} { append text [format %c [expr {33 + $i}]] }
    r set raw $text
    assert {[regexp {^Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:8 lru:[0-9]+ lru_seconds_idle:[0-9]+$} [r debug object emb]]} [r debug object emb]
    assert_match {* refcount:1 encoding:int serializedlength:3 *} [r debug object int]
    # Values Redis would share show the shared refcount.
    assert_match {* refcount:2147483647 encoding:int serializedlength:2 *} [r debug object small]
    assert_match {* encoding:raw serializedlength:92 *} [r debug object raw]
    assert_error {ERR no such key} {r debug object nosuchkey}
}

test {DEBUG OBJECT reports idle time without touching the key} {
    r set idle:key v
    after 2100
    regexp {lru_seconds_idle:([0-9]+)} [r debug object idle:key] -> idle1
    regexp {lru_seconds_idle:([0-9]+)} [r debug object idle:key] -> idle2
    assert_morethan_equal $idle1 1
    assert_morethan_equal $idle2 1
    r get idle:key
    regexp {lru_seconds_idle:([0-9]+)} [r debug object idle:key] -> idle3
    assert_equal 0 $idle3
}

test {DEBUG POPULATE creates key:N = value:N} {
    r flushall
    set dirty [s rdb_changes_since_last_save]
    assert_equal OK [r debug populate 10]
    assert_equal 10 [r dbsize]
    assert_equal value:0 [r get key:0]
    assert_equal value:9 [r get key:9]
    assert_equal {} [r get key:10]
    assert_encoding embstr key:3
    # Test data, not user writes: not counted as changes.
    assert_equal $dirty [s rdb_changes_since_last_save]
}

test {DEBUG POPULATE with a prefix and a size pads with zero bytes or truncates} {
    r flushall
    r debug populate 3 pre 12
    assert_equal "value:1\x00\x00\x00\x00\x00" [r get pre:1]
    assert_equal 12 [r strlen pre:2]
    r debug populate 2 tr 3
    assert_equal val [r get tr:1]
    r debug populate 1 big 100
    assert_equal 100 [r strlen big:0]
    assert_encoding raw big:0
    assert_equal 6 [r dbsize]
}

test {DEBUG POPULATE skips keys that exist} {
    r flushall
    r set key:5 mine
    r debug populate 10
    assert_equal mine [r get key:5]
    assert_equal 10 [r dbsize]
    assert_equal OK [r debug populate 0]
    assert_equal 10 [r dbsize]
}

test {DEBUG POPULATE argument errors} {
    assert_error {ERR value is out of range, must be positive} {r debug populate -1}
    assert_error {ERR value is out of range, must be positive} {r debug populate abc}
    assert_error {ERR value is out of range, must be positive} {r debug populate 1 p -1}
    assert_error {ERR value is out of range, must be positive} {r debug populate 1 p x}
    assert_error {*unknown subcommand or wrong number of arguments for 'populate'*} {r debug populate 1 a 1 1}
}

test {DEBUG DIGEST of an empty dataset is all zeros} {
    r flushall
    assert_equal $::zero_digest [r debug digest]
}

test {DEBUG DIGEST is 40 hex digits and changes with any key, value or TTL} {
    r flushall
    r set a 1
    r set b hello
    set d0 [r debug digest]
    assert {[regexp {^[0-9a-f]{40}$} $d0]}
    assert_not_equal $::zero_digest $d0
    # Reads do not change it.
    r get a
    r get nosuchkey
    assert_equal $d0 [r debug digest]
    # A value change does, and undoing it restores the digest.
    r set b hellO
    set d1 [r debug digest]
    assert_not_equal $d0 $d1
    r set b hello
    assert_equal $d0 [r debug digest]
    # A TTL.
    r pexpireat b 99999999999000
    assert_not_equal $d0 [r debug digest]
    r persist b
    assert_equal $d0 [r debug digest]
    # A renamed key.
    r rename a c
    assert_not_equal $d0 [r debug digest]
    r rename c a
    assert_equal $d0 [r debug digest]
    # A new key, and the same key in another database.
    r set extra 1
    assert_not_equal $d0 [r debug digest]
    r move extra 1
    set d3 [r debug digest]
    assert_not_equal $d0 $d3
    r select 1
    r del extra
    r select 0
    assert_equal $d0 [r debug digest]
}

test {DEBUG DIGEST does not depend on the order keys were written in} {
    r flushall
    for {set i 0} {$i < 300} {incr i} { r set k:$i v:$i }
    r expire k:7 1000
    set ttl [r pexpiretime k:7]
    set d1 [r debug digest]
    r flushall
    for {set i 299} {$i >= 0} {incr i -1} { r set k:$i v:$i }
    r pexpireat k:7 $ttl
    assert_equal $d1 [r debug digest]
}

test {DEBUG DIGEST-VALUE digests values alone} {
    r flushall
    r set a same
    r set b same
    r set c other
    set digests [r debug digest-value a b c nosuchkey]
    assert_equal 4 [llength $digests]
    lassign $digests da db dc dn
    assert {[regexp {^[0-9a-f]{40}$} $da]}
    assert_equal $da $db
    assert_not_equal $da $dc
    assert_equal $::zero_digest $dn
    # Having a TTL is part of a value's digest, the TTL's value is not.
    r expire b 1000
    r pexpire c 2000
    r set c same
    r pexpire c 5000
    lassign [r debug digest-value b c] db dc
    assert_not_equal $da $db
    assert_equal $db $dc
    assert_equal {} [r debug digest-value]
}

test {DEBUG PROTOCOL replies in RESP2} {
    assert_equal {Hello World} [r debug protocol string]
    assert_equal 12345 [r debug protocol integer]
    assert_equal 3.141 [r debug protocol double]
    assert_equal 1234567999999999999999999999999999999 [r debug protocol bignum]
    assert_equal {} [r debug protocol null]
    assert_equal {0 1 2} [r debug protocol array]
    assert_equal {0 1 2} [r debug protocol set]
    assert_equal {0 0 1 1 2 0} [r debug protocol map]
    assert_equal {Some real reply following the attribute} [r debug protocol attrib]
    assert_equal "This is a verbatim\nstring" [r debug protocol verbatim]
    assert_equal 1 [r debug protocol true]
    assert_equal 0 [r debug protocol false]
    assert_error {ERR RESP2 is not supported by this command} {r debug protocol push}
    assert_error {ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false} \
        {r debug protocol nosuchtype}
    # RESP2 encodings on the wire.
    r readraw 1
    assert_equal {$5} [r debug protocol double]
    assert_equal 3.141 [r read]
    assert_equal {$-1} [r debug protocol null]
    assert_equal {:1} [r debug protocol true]
    assert_equal {*6} [r debug protocol map]
    for {set i 0} {$i < 6} {incr i} { r read }
    r readraw 0
}

test {DEBUG PROTOCOL replies in RESP3} {
    set c [redis_client]
    $c hello 3
    assert_equal {0 0 1 1 2 0} [$c debug protocol map]
    assert_equal {Some real reply following the attribute} [$c debug protocol attrib]
    assert_equal {key-popularity {key:123 90}} [$c attributes]
    $c readraw 1
    foreach {type first} {double ,3.141 bignum (1234567999999999999999999999999999999
                          null _ true #t false #f integer :12345} {
        assert_equal $first [$c debug protocol $type] $type
    }
    assert_equal {~3} [$c debug protocol set]
    for {set i 0} {$i < 3} {incr i} { assert_equal ":$i" [$c read] }
    assert_equal {%3} [$c debug protocol map]
    foreach expected {:0 #f :1 #t :2 #f} { assert_equal $expected [$c read] }
    assert_equal {=29} [$c debug protocol verbatim]
    assert_equal {txt:This is a verbatim} [$c read]
    assert_equal {string} [$c read]
    assert_equal {>2} [$c debug protocol push]
    assert_equal {$16} [$c read]
    assert_equal {server-cpu-usage} [$c read]
    assert_equal {:42} [$c read]
    assert_equal {$40} [$c read]
    assert_equal {Some real reply following the push reply} [$c read]
    assert_equal {|1} [$c debug protocol attrib]
    foreach expected {{$14} key-popularity *2 {$7} key:123 :90 {$39} {Some real reply following the attribute}} {
        assert_equal $expected [$c read]
    }
    $c close
}

test {DEBUG HTSTATS describes the tables of a database} {
    r flushall
    r set a 1
    r set b 2
    r expire b 100
    set stats [r debug htstats 0]
    assert_match {*\[Dictionary HT\]*\[Expires HT\]*} $stats
    assert_error {ERR Out of range database} {r debug htstats 9999}
    assert_error {ERR Out of range database} {r debug htstats -1}
    assert_error {ERR value is not an integer or out of range} {r debug htstats abc}
}

test {DEBUG LOG writes to the server log} {
    r debug log "debug-log-marker-4711"
    wait_for_condition 50 20 {[count_log_message 0 "debug-log-marker-4711"] == 1} else {
        fail "DEBUG LOG text not found in the log"
    }
}

}

tags {ringkv-only} {
    start_server {tags {"debug"}} {
        test {DEBUG DIGEST changes when a TTL changes} {
            # Redis only digests whether a key has a TTL; ringkv digests the
            # expire time itself, so a changed TTL is a changed dataset.
            r flushall
            r set a 1
            r pexpireat a 99999999999000
            set d1 [r debug digest]
            r pexpireat a 99999999998000
            set d2 [r debug digest]
            assert_not_equal $d1 $d2
            r pexpireat a 99999999999000
            assert_equal $d1 [r debug digest]
        }
    }
}

start_server {tags {"debug"} overrides {maxmemory 100mb maxmemory-policy allkeys-lru}} {
    test {DEBUG OBJECT: small integers are not shared under an LRU policy with maxmemory} {
        r set small 5
        assert_match {* refcount:1 encoding:int *} [r debug object small]
    }
}

start_server {tags {"debug"} overrides {enable-debug-command no}} {
    test {DEBUG is refused when enable-debug-command is no} {
        assert_error {ERR DEBUG command not allowed*} {r debug digest}
        assert_error {ERR DEBUG command not allowed*} {r debug help}
    }
}
