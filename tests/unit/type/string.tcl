# string.tcl: the string commands other than the counters (incr.tcl) and the
# bit commands (bitops.tcl, bitfield.tcl).
#
# Covers GET, SET and every SET option, SETNX, SETEX, PSETEX, GETSET, GETDEL,
# GETEX, MGET, MSET, MSETNX, APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE and
# LCS: replies (raw protocol where null and empty must be told apart), error
# texts, the encoding each command leaves behind, TTL handling, binary safety
# and the keyspace events fired.

# Reads n keyevent notifications from a client subscribed with PSUBSCRIBE
# and returns them as "event key" pairs in arrival order.
proc string_read_events {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel payload
        regsub {^__keyevent@[0-9]+__:} $channel {} event
        lappend out [list $event $payload]
    }
    return $out
}

# Sends one command with readraw on and returns its first n raw reply lines
# (a bulk reply is two lines: "$len" and the payload).
proc string_raw_lines {n args} {
    r readraw 1
    set lines [list [r {*}$args]]
    for {set i 1} {$i < $n} {incr i} { lappend lines [r read] }
    r readraw 0
    return $lines
}

# The single raw line of a one-line reply (null bulk, integer, status).
proc string_raw {args} {
    return [lindex [string_raw_lines 1 {*}$args] 0]
}

start_server {tags {"string"}} {

# ---------------------------------------------------------------- GET / SET

test {SET and GET a simple value} {
    r flushdb
    assert_equal OK [r set foo bar]
    assert_equal bar [r get foo]
}

test {GET of a missing key is a null bulk} {
    r flushdb
    assert_equal {$-1} [string_raw get nokey]
}

test {SET and GET an empty value (not null)} {
    r flushdb
    r set empty ""
    assert_equal {{$0} {}} [string_raw_lines 2 get empty]
    assert_equal 1 [r exists empty]
    assert_equal 0 [r strlen empty]
}

test {GET and SET are binary safe} {
    r flushdb
    set v "a\x00b\r\nc\xff\x80"
    r set bin $v
    assert_equal $v [r get bin]
    assert_equal 8 [r strlen bin]
    set k "key\x00with\nnul"
    r set $k x
    assert_equal x [r get $k]
}

test {SET of a large value round-trips} {
    r flushdb
    set v [string repeat "0123456789abcdef" 40000]
    r set big $v
    assert_equal $v [r get big]
    assert_equal [string length $v] [r strlen big]
}

test {GET of a non-string is WRONGTYPE} {
    r flushdb
    r rpush mylist a
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r get mylist}
} {needs:types}

test {SET overwrites any type} {
    r flushdb
    r rpush mylist a
    r set mylist b
    assert_equal string [r type mylist]
    assert_equal b [r get mylist]
} {needs:types}

test {SET 10000 numeric keys and read them back} {
    r flushdb
    for {set i 0} {$i < 10000} {incr i} { r set $i $i }
    set bad 0
    for {set i 0} {$i < 10000} {incr i} {
        if {[r get $i] ne $i} { incr bad }
    }
    assert_equal 0 $bad
    assert_equal 10000 [r dbsize]
}

test {SET wrong number of arguments} {
    assert_error {ERR wrong number of arguments for 'set' command} {r set foo}
    assert_error {ERR wrong number of arguments for 'get' command} {r get}
    assert_error {ERR wrong number of arguments for 'get' command} {r get a b}
}

# ---------------------------------------------------------------- encodings

test {SET of a canonical integer is int encoded} {
    r flushdb
    foreach v {0 1 -1 12345 9223372036854775807 -9223372036854775808} {
        r set k $v
        assert_encoding int k
        assert_equal $v [r get k]
    }
}

test {SET of non-canonical numbers is not int encoded} {
    r flushdb
    foreach v {01 +1 -0 " 1" "1 " 1.0 9223372036854775808 -9223372036854775809 0x10} {
        r set k $v
        assert_encoding embstr k
        assert_equal $v [r get k]
    }
}

test {SET up to 44 bytes is embstr, longer is raw} {
    r flushdb
    r set k [string repeat x 44]
    assert_encoding embstr k
    r set k [string repeat x 45]
    assert_encoding raw k
    r set k ""
    assert_encoding embstr k
}

test {MSET, GETSET and SETNX choose encodings like SET} {
    r flushdb
    r mset a 123 b hello c [string repeat y 100]
    assert_encoding int a
    assert_encoding embstr b
    assert_encoding raw c
    r getset a [string repeat z 50]
    assert_encoding raw a
    r getset a 77
    assert_encoding int a
    r setnx d 42
    assert_encoding int d
}

# ------------------------------------------------------------- SET options

test {SET NX sets only missing keys} {
    r flushdb
    assert_equal OK [r set k v1 nx]
    assert_equal {$-1} [string_raw set k v2 nx]
    assert_equal v1 [r get k]
}

test {SET XX sets only existing keys} {
    r flushdb
    assert_equal {$-1} [string_raw set k v1 xx]
    assert_equal 0 [r exists k]
    r set k v1
    assert_equal OK [r set k v2 xx]
    assert_equal v2 [r get k]
}

test {SET NX and XX consider another type as existing} {
    r flushdb
    r rpush l a
    assert_equal {$-1} [string_raw set l v nx]
    assert_equal list [r type l]
    assert_equal OK [r set l v xx]
    assert_equal string [r type l]
} {needs:types}

test {SET options are case insensitive} {
    r flushdb
    assert_equal OK [r set k v Nx eX 100]
    assert_range [r ttl k] 90 100
    assert_equal v [r set k v2 xX pX 5000 GeT]
    assert_equal v2 [r get k]
    assert_range [r pttl k] 4000 5000
}

test {SET GET replies the old value} {
    r flushdb
    assert_equal {$-1} [string_raw set k v1 get]
    assert_equal v1 [r get k]
    assert_equal v1 [r set k v2 get]
    assert_equal v2 [r get k]
}

test {SET GET on a non-string is WRONGTYPE and changes nothing} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r set l v get}
    assert_equal list [r type l]
} {needs:types}

test {SET NX GET replies the old value whether or not it sets} {
    r flushdb
    assert_equal {$-1} [string_raw set k v1 nx get]
    assert_equal v1 [r get k]
    assert_equal v1 [r set k v2 nx get]
    assert_equal v1 [r get k]
}

test {SET XX GET on a missing key replies null and sets nothing} {
    r flushdb
    assert_equal {$-1} [string_raw set k v1 xx get]
    assert_equal 0 [r exists k]
    r set k old
    assert_equal old [r set k new xx get]
    assert_equal new [r get k]
}

test {SET EX, PX, EXAT, PXAT set the TTL} {
    r flushdb
    r set k v ex 100
    assert_range [r ttl k] 90 100
    r set k v px 100000
    assert_range [r pttl k] 90000 100000
    set at [expr {[clock seconds] + 200}]
    r set k v exat $at
    assert_range [r ttl k] 190 200
    set pat [expr {[clock milliseconds] + 300000}]
    r set k v pxat $pat
    assert_range [r ttl k] 290 300
}

test {SET without options removes the TTL} {
    r flushdb
    r set k v ex 100
    r set k v2
    assert_equal -1 [r ttl k]
}

test {SET KEEPTTL keeps the TTL} {
    r flushdb
    r set k v ex 100
    r set k v2 keepttl
    assert_range [r ttl k] 90 100
    assert_equal v2 [r get k]
    r set k2 v keepttl
    assert_equal -1 [r ttl k2]
}

test {SET repeated options are accepted and the last expire wins} {
    r flushdb
    assert_equal OK [r set k v ex 10 ex 1000]
    assert_range [r ttl k] 990 1000
    assert_equal OK [r set k2 v nx nx]
    assert_equal OK [r set k v xx xx]
    assert_equal OK [r set k v keepttl keepttl]
    assert_equal v [r set k v get get]
}

test {SET conflicting options are a syntax error} {
    r flushdb
    foreach opts {
        {nx xx} {xx nx} {ex 10 px 100} {px 100 ex 10} {exat 10 pxat 10}
        {ex 10 keepttl} {keepttl ex 10} {keepttl pxat 100} {ex} {px} {exat} {pxat}
        {persist} {foo} {ex 10 foo} {nx nx x}
    } {
        assert_error {ERR syntax error} {r set k v {*}$opts}
    }
    assert_equal 0 [r exists k]
}

test {SET invalid expire times} {
    r flushdb
    foreach opt {ex px exat pxat} {
        assert_error {ERR invalid expire time in 'set' command} {r set k v $opt 0}
        assert_error {ERR invalid expire time in 'set' command} {r set k v $opt -1}
        assert_error {ERR value is not an integer or out of range} {r set k v $opt abc}
        assert_error {ERR value is not an integer or out of range} {r set k v $opt 1.5}
        assert_error {ERR value is not an integer or out of range} {r set k v $opt 9223372036854775808}
    }
    # Overflows once converted to an absolute time in milliseconds.
    assert_error {ERR invalid expire time in 'set' command} {r set k v ex 9223372036854775807}
    assert_error {ERR invalid expire time in 'set' command} {r set k v ex 9223372036854775}
    assert_error {ERR invalid expire time in 'set' command} {r set k v px 9223372036854775807}
    assert_error {ERR invalid expire time in 'set' command} {r set k v exat 9223372036854776}
    assert_equal 0 [r exists k]
    # The largest absolute times are fine.
    assert_equal OK [r set k v pxat 9223372036854775807]
    assert_equal OK [r set k v exat 9223372036854775]
    assert_morethan [r ttl k] 1000000000
}

test {SET invalid expire is reported before GET and WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {ERR invalid expire time*} {r set l v ex 0 get}
} {needs:types}

test {SET PX with a short TTL expires the key} {
    r flushdb
    r set k v px 50
    assert_equal v [r get k]
    after 120
    assert_equal 0 [r exists k]
}

test {SET EXAT in the past replies OK and the key is gone} {
    r flushdb
    assert_equal OK [r set k v exat 1]
    assert_equal 0 [r exists k]
    assert_equal OK [r set k v pxat 1]
    assert_equal {$-1} [string_raw get k]
}

# ------------------------------------------------------------------- SETNX

test {SETNX against a missing key} {
    r flushdb
    assert_equal 1 [r setnx k v]
    assert_equal v [r get k]
}

test {SETNX against an existing key} {
    r flushdb
    r set k v
    assert_equal 0 [r setnx k v2]
    assert_equal v [r get k]
}

test {SETNX against another type does not overwrite} {
    r flushdb
    r rpush l a
    assert_equal 0 [r setnx l v]
    assert_equal list [r type l]
} {needs:types}

test {SETNX against an expired key sets it} {
    r flushdb
    r set k old px 20
    after 60
    assert_equal 1 [r setnx k new]
    assert_equal new [r get k]
    assert_equal -1 [r ttl k]
}

# ---------------------------------------------------------- SETEX / PSETEX

test {SETEX sets value and TTL} {
    r flushdb
    assert_equal OK [r setex k 100 v]
    assert_equal v [r get k]
    assert_range [r ttl k] 90 100
}

test {PSETEX sets value and TTL in milliseconds} {
    r flushdb
    assert_equal OK [r psetex k 100000 v]
    assert_equal v [r get k]
    assert_range [r pttl k] 90000 100000
}

test {SETEX and PSETEX errors} {
    r flushdb
    assert_error {ERR invalid expire time in 'setex' command} {r setex k 0 v}
    assert_error {ERR invalid expire time in 'setex' command} {r setex k -10 v}
    assert_error {ERR invalid expire time in 'psetex' command} {r psetex k 0 v}
    assert_error {ERR value is not an integer or out of range} {r setex k abc v}
    assert_error {ERR value is not an integer or out of range} {r psetex k 1.5 v}
    assert_error {ERR invalid expire time in 'setex' command} {r setex k 9223372036854775807 v}
    assert_error {ERR wrong number of arguments for 'setex' command} {r setex k 10}
    assert_equal 0 [r exists k]
}

test {SETEX overwrites another type} {
    r flushdb
    r rpush l a
    r setex l 100 v
    assert_equal v [r get l]
} {needs:types}

test {PSETEX short TTL expires the key} {
    r flushdb
    r psetex k 30 v
    after 80
    assert_equal 0 [r exists k]
}

# ------------------------------------------------------------------ GETSET

test {GETSET of a missing key replies null and sets it} {
    r flushdb
    assert_equal {$-1} [string_raw getset k v]
    assert_equal v [r get k]
}

test {GETSET replies the old value and sets the new one} {
    r flushdb
    r set k old
    assert_equal old [r getset k new]
    assert_equal new [r get k]
}

test {GETSET removes the TTL} {
    r flushdb
    r set k old ex 100
    r getset k new
    assert_equal -1 [r ttl k]
}

test {GETSET against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r getset l v}
    assert_equal list [r type l]
} {needs:types}

# ------------------------------------------------------------------ GETDEL

test {GETDEL replies the value and deletes the key} {
    r flushdb
    r set k v ex 100
    assert_equal v [r getdel k]
    assert_equal 0 [r exists k]
    assert_equal {$-1} [string_raw getdel k]
}

test {GETDEL of an int encoded value} {
    r flushdb
    r set k 12345
    assert_equal 12345 [r getdel k]
    assert_equal 0 [r exists k]
}

test {GETDEL against a non-string is WRONGTYPE and keeps the key} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r getdel l}
    assert_equal 1 [r exists l]
} {needs:types}

# ------------------------------------------------------------------- GETEX

test {GETEX without options is like GET and keeps the TTL} {
    r flushdb
    r set k v ex 100
    assert_equal v [r getex k]
    assert_range [r ttl k] 90 100
}

test {GETEX EX, PX, EXAT, PXAT set the TTL} {
    r flushdb
    r set k v
    assert_equal v [r getex k ex 100]
    assert_range [r ttl k] 90 100
    assert_equal v [r getex k px 200000]
    assert_range [r ttl k] 190 200
    assert_equal v [r getex k exat [expr {[clock seconds] + 300}]]
    assert_range [r ttl k] 290 300
    assert_equal v [r getex k pxat [expr {[clock milliseconds] + 400000}]]
    assert_range [r ttl k] 390 400
}

test {GETEX PERSIST removes the TTL} {
    r flushdb
    r set k v ex 100
    assert_equal v [r getex k persist]
    assert_equal -1 [r ttl k]
    assert_equal v [r getex k persist]
    assert_equal -1 [r ttl k]
}

test {GETEX EXAT/PXAT in the past deletes the key after replying} {
    r flushdb
    r set k v
    assert_equal v [r getex k exat 1]
    assert_equal 0 [r exists k]
    r set k v
    assert_equal v [r getex k pxat 1]
    assert_equal 0 [r exists k]
}

test {GETEX of a missing key is null, even with a bad expire} {
    r flushdb
    assert_equal {$-1} [string_raw getex nokey]
    assert_equal {$-1} [string_raw getex nokey ex abc]
    assert_equal {$-1} [string_raw getex nokey ex 0]
}

test {GETEX option errors} {
    r flushdb
    r set k v
    foreach opts {
        {nx} {xx} {get} {keepttl} {foo} {ex} {persist ex 10} {ex 10 persist}
        {ex 10 px 10} {pxat 10 exat 10}
    } {
        assert_error {ERR syntax error} {r getex k {*}$opts}
    }
    # Syntax is checked even before the key is looked up.
    assert_error {ERR syntax error} {r getex nokey foo}
    assert_error {ERR invalid expire time in 'getex' command} {r getex k ex 0}
    assert_error {ERR invalid expire time in 'getex' command} {r getex k px -5}
    assert_error {ERR value is not an integer or out of range} {r getex k ex abc}
    assert_equal -1 [r ttl k]
    # Repeats are fine.
    assert_equal v [r getex k ex 10 ex 100]
    assert_range [r ttl k] 90 100
    assert_equal v [r getex k persist persist]
}

test {GETEX against a non-string is WRONGTYPE before the expire is checked} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r getex l}
    assert_error {WRONGTYPE*} {r getex l ex abc}
} {needs:types}

# -------------------------------------------------------------------- MGET

test {MGET returns values, and null for missing keys and other types} {
    r flushdb
    r mset a 1 b hello
    r rpush l x
    assert_equal {1 hello {} {}} [r mget a b nokey l]
} {needs:types}

test {MGET raw reply shape} {
    r flushdb
    r set a 1
    r rpush l x
    r readraw 1
    set lines [list [r mget a nokey l]]
    for {set i 0} {$i < 4} {incr i} { lappend lines [r read] }
    r readraw 0
    assert_equal {*3 {$1} 1 {$-1} {$-1}} $lines
} {needs:types}

test {MGET of many keys} {
    r flushdb
    set keys {}
    set expected {}
    for {set i 0} {$i < 200} {incr i} {
        r set key$i val$i
        lappend keys key$i
        lappend expected val$i
    }
    assert_equal $expected [r mget {*}$keys]
}

# ------------------------------------------------------------ MSET / MSETNX

test {MSET sets all pairs} {
    r flushdb
    assert_equal OK [r mset a 1 b 2 c "x y"]
    assert_equal {1 2 {x y}} [r mget a b c]
}

test {MSET with a repeated key keeps the last value} {
    r flushdb
    r mset a 1 a 2 a 3
    assert_equal 3 [r get a]
}

test {MSET removes TTLs and overwrites other types} {
    r flushdb
    r set a v ex 100
    r rpush l x
    r mset a 1 l 2
    assert_equal -1 [r ttl a]
    assert_equal 2 [r get l]
} {needs:types}

test {MSET and MSETNX with a wrong number of arguments} {
    assert_error {ERR wrong number of arguments for 'mset' command} {r mset a}
    assert_error {ERR wrong number of arguments for 'mset' command} {r mset a 1 b}
    assert_error {ERR wrong number of arguments for 'msetnx' command} {r msetnx a 1 b}
}

test {MSETNX sets all keys when none exists} {
    r flushdb
    assert_equal 1 [r msetnx a 1 b 2]
    assert_equal {1 2} [r mget a b]
}

test {MSETNX sets nothing when any key exists} {
    r flushdb
    r set b old
    assert_equal 0 [r msetnx a 1 b 2 c 3]
    assert_equal {{} old {}} [r mget a b c]
}

test {MSETNX sets nothing when a key of another type exists} {
    r flushdb
    r rpush l x
    assert_equal 0 [r msetnx z 1 l 2]
    assert_equal 0 [r exists z]
} {needs:types}

test {MSETNX with a repeated missing key sets the last value} {
    r flushdb
    assert_equal 1 [r msetnx a 1 a 2]
    assert_equal 2 [r get a]
}

# ------------------------------------------------------------------ APPEND

test {APPEND to a missing key creates it} {
    r flushdb
    assert_equal 3 [r append k foo]
    assert_equal foo [r get k]
    assert_encoding embstr k
}

test {APPEND to a missing key with an integer is int encoded} {
    r flushdb
    assert_equal 3 [r append k 123]
    assert_encoding int k
}

test {APPEND grows the value and makes it raw} {
    r flushdb
    r set k foo
    assert_equal 6 [r append k bar]
    assert_equal foobar [r get k]
    assert_encoding raw k
}

test {APPEND to an int encoded value gives its text} {
    r flushdb
    r set k 10
    assert_equal 4 [r append k 20]
    assert_equal 1020 [r get k]
    assert_encoding raw k
    assert_equal 1021 [r incr k]
}

test {APPEND many times (in-place growth of a raw value)} {
    r flushdb
    set expected ""
    for {set i 0} {$i < 1000} {incr i} {
        set piece [string repeat [format %c [expr {65 + $i % 26}]] [expr {$i % 7}]]
        append expected $piece
        assert_equal [string length $expected] [r append k $piece]
    }
    assert_equal $expected [r get k]
}

test {APPEND is binary safe} {
    r flushdb
    r set k "a\x00"
    r append k "\x00b\xff"
    assert_equal "a\x00\x00b\xff" [r get k]
}

test {APPEND keeps the TTL} {
    r flushdb
    r set k v ex 100
    r append k w
    assert_range [r ttl k] 90 100
}

test {APPEND of an empty string to a missing key creates an empty value} {
    r flushdb
    assert_equal 0 [r append k ""]
    assert_equal 1 [r exists k]
}

test {APPEND against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r append l x}
} {needs:types}

test {APPEND past proto-max-bulk-len is refused} {
    r flushdb
    r config set proto-max-bulk-len 1048576
    r setrange k 1048570 abcde
    assert_equal 1048575 [r strlen k]
    assert_equal 1048576 [r append k x]
    assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r append k y}
    assert_equal 1048576 [r strlen k]
    r config set proto-max-bulk-len 536870912
}

# ------------------------------------------------------------------ STRLEN

test {STRLEN of strings, integers, missing keys} {
    r flushdb
    assert_equal 0 [r strlen nokey]
    r set k hello
    assert_equal 5 [r strlen k]
    r set k -12345
    assert_equal 6 [r strlen k]
    r set k [string repeat x 1000]
    assert_equal 1000 [r strlen k]
}

test {STRLEN against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r strlen l}
} {needs:types}

# ------------------------------------------------------- GETRANGE / SUBSTR

test {GETRANGE against a missing key is an empty string} {
    r flushdb
    assert_equal {{$0} {}} [string_raw_lines 2 getrange nokey 0 -1]
}

test {GETRANGE with positive and negative indexes} {
    r flushdb
    r set k hello
    set cases {
        {0 -1 hello} {0 0 h} {1 3 ell} {-3 -1 llo} {-1 -1 o} {4 4 o}
        {0 100 hello} {-100 -1 hello} {-100 100 hello} {5 10 {}} {2 1 {}}
        {-1 -5 {}} {-1 0 {}} {0 -100 h} {-100 -100 h} {3 -3 {}}
        {0 9223372036854775807 hello} {-9223372036854775808 -1 hello}
        {-9223372036854775808 9223372036854775807 hello}
    }
    foreach c $cases {
        lassign $c s e want
        assert_equal $want [r getrange k $s $e] "getrange $s $e"
    }
}

test {GETRANGE of an int encoded value} {
    r flushdb
    r set k 1234
    assert_encoding int k
    assert_equal 23 [r getrange k 1 2]
    assert_equal 1234 [r getrange k 0 -1]
    assert_equal 4 [r getrange k -1 -1]
}

test {GETRANGE of an empty value} {
    r flushdb
    r set k ""
    assert_equal {} [r getrange k 0 -1]
    assert_equal {} [r getrange k 0 0]
}

test {GETRANGE is binary safe} {
    r flushdb
    r set k "\x00\x01\x02\xff"
    assert_equal "\x01\x02" [r getrange k 1 2]
}

test {GETRANGE errors} {
    r flushdb
    r set k hello
    assert_error {ERR value is not an integer or out of range} {r getrange k x 1}
    assert_error {ERR value is not an integer or out of range} {r getrange k 0 1.5}
    # Indexes are parsed before the key is looked up.
    assert_error {ERR value is not an integer or out of range} {r getrange nokey 0 x}
}

test {GETRANGE against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r getrange l 0 1}
} {needs:types}

test {SUBSTR is GETRANGE} {
    r flushdb
    r set k hello
    assert_equal ell [r substr k 1 3]
    assert_equal llo [r substr k -3 -1]
    assert_equal {} [r substr nokey 0 -1]
}

test {GETRANGE fuzzing against Tcl string range} {
    r flushdb
    for {set i 0} {$i < 500} {incr i} {
        set len [randomInt 20]
        set v [randstring $len $len alpha]
        r set k $v
        set s [expr {[randomInt 50] - 25}]
        set e [expr {[randomInt 50] - 25}]
        # Redis's rules, spelled out independently.
        if {$s < 0 && $e < 0 && $s > $e} {
            set want ""
        } else {
            set ss [expr {$s < 0 ? $len + $s : $s}]
            set ee [expr {$e < 0 ? $len + $e : $e}]
            if {$ss < 0} { set ss 0 }
            if {$ee < 0} { set ee 0 }
            if {$ee >= $len} { set ee [expr {$len - 1}] }
            if {$len == 0 || $ss > $ee} { set want "" } else { set want [string range $v $ss $ee] }
        }
        assert_equal $want [r getrange k $s $e] "value '$v' getrange $s $e"
    }
}

# ---------------------------------------------------------------- SETRANGE

test {SETRANGE against a missing key} {
    r flushdb
    assert_equal 3 [r setrange k 0 foo]
    assert_equal foo [r get k]
    assert_encoding raw k
}

test {SETRANGE against a missing key with an offset pads with zeros} {
    r flushdb
    assert_equal 4 [r setrange k 1 foo]
    assert_equal "\x00foo" [r get k]
}

test {SETRANGE with an empty value against a missing key creates nothing} {
    r flushdb
    assert_equal 0 [r setrange k 0 ""]
    assert_equal 0 [r setrange k 100 ""]
    assert_equal 0 [r exists k]
}

test {SETRANGE with an empty value replies the current length} {
    r flushdb
    r set k hello
    assert_equal 5 [r setrange k 2 ""]
    assert_equal 5 [r setrange k 1000 ""]
    assert_equal 5 [r strlen k]
    assert_encoding embstr k
}

test {SETRANGE overwrites inside and past the end} {
    r flushdb
    r set k hello
    assert_equal 5 [r setrange k 1 ipp]
    assert_equal hippo [r get k]
    assert_encoding raw k
    assert_equal 7 [r setrange k 4 ies]
    assert_equal hippies [r get k]
    assert_equal 10 [r setrange k 9 X]
    assert_equal "hippies\x00\x00X" [r get k]
}

test {SETRANGE against an int encoded value} {
    r flushdb
    r set k 1234
    assert_equal 4 [r setrange k 1 3]
    assert_equal 1334 [r get k]
    assert_encoding raw k
    assert_equal 6 [r setrange k 4 56]
    assert_equal 133456 [r get k]
    assert_equal 133457 [r incr k]
}

test {SETRANGE keeps the TTL} {
    r flushdb
    r set k hello ex 100
    r setrange k 0 j
    assert_range [r ttl k] 90 100
    assert_equal jello [r get k]
}

test {SETRANGE errors} {
    r flushdb
    assert_error {ERR offset is out of range} {r setrange k -1 x}
    assert_error {ERR value is not an integer or out of range} {r setrange k x x}
    assert_error {ERR value is not an integer or out of range} {r setrange k 9223372036854775808 x}
    assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange k 536870912 x}
    assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange k 536870911 xy}
    assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange k 9223372036854775807 x}
    assert_equal 0 [r exists k]
}

test {SETRANGE against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    # The offset is checked before the type, the type before an empty value.
    assert_error {ERR offset is out of range} {r setrange l -1 x}
    assert_error {WRONGTYPE*} {r setrange l 0 x}
    assert_error {WRONGTYPE*} {r setrange l 0 ""}
} {needs:types}

test {SETRANGE with a lowered proto-max-bulk-len} {
    r flushdb
    r config set proto-max-bulk-len 1048576
    assert_equal 1048576 [r setrange k 1048575 x]
    assert_error {ERR string exceeds maximum allowed size*} {r setrange k 1048576 x}
    assert_error {ERR string exceeds maximum allowed size*} {r setrange k 1048575 xy}
    r config set proto-max-bulk-len 536870912
}

test {SETRANGE fuzzing against a Tcl model} {
    r flushdb
    set model ""
    for {set i 0} {$i < 300} {incr i} {
        set off [randomInt 40]
        set piece [randstring 0 6 binary]
        if {$piece ne "" && $off > [string length $model]} {
            append model [string repeat "\x00" [expr {$off - [string length $model]}]]
        }
        if {$piece ne ""} {
            set end [expr {$off + [string length $piece] - 1}]
            if {$end >= [string length $model]} {
                set model [string range $model 0 [expr {$off - 1}]]$piece
            } else {
                set model [string replace $model $off $end $piece]
            }
        }
        assert_equal [string length $model] [r setrange k $off $piece]
    }
    if {$model ne ""} { assert_equal $model [r get k] }
}

# --------------------------------------------------------------------- LCS

test {LCS of two strings} {
    r flushdb
    r mset k1 ohmytext k2 mynewtext
    assert_equal mytext [r lcs k1 k2]
}

test {LCS LEN} {
    r flushdb
    r mset k1 ohmytext k2 mynewtext
    assert_equal 6 [r lcs k1 k2 len]
    assert_equal 6 [r lcs k1 k2 LEN]
}

test {LCS IDX in RESP2} {
    r flushdb
    r mset k1 ohmytext k2 mynewtext
    assert_equal {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6} [r lcs k1 k2 idx]
}

test {LCS IDX WITHMATCHLEN and MINMATCHLEN} {
    r flushdb
    r mset k1 ohmytext k2 mynewtext
    assert_equal {matches {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} len 6} [r lcs k1 k2 idx withmatchlen]
    assert_equal {matches {{{4 7} {5 8} 4}} len 6} [r lcs k1 k2 idx minmatchlen 4 withmatchlen]
    assert_equal {matches {{{4 7} {5 8}}} len 6} [r lcs k1 k2 idx minmatchlen 3]
    assert_equal {matches {} len 6} [r lcs k1 k2 idx minmatchlen 5]
    # A negative minimum means no minimum.
    assert_equal {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6} [r lcs k1 k2 idx minmatchlen -5]
}

test {LCS IDX raw RESP2 shape} {
    r flushdb
    r mset k1 ab k2 ab
    assert_equal {*4 {$7} matches *1 *3 *2 :0 :1 *2 :0 :1 :2 {$3} len :2} \
        [string_raw_lines 15 lcs k1 k2 idx withmatchlen]
}

test {LCS IDX in RESP3 is a map} {
    r flushdb
    r mset k1 ohmytext k2 mynewtext
    r hello 3
    set lines [string_raw_lines 21 lcs k1 k2 idx]
    r hello 2
    assert_equal {%2 {$7} matches *2 *2 *2 :4 :7 *2 :5 :8 *2 *2 :2 :3 *2 :0 :1 {$3} len :6} $lines
}

test {LCS with missing keys} {
    r flushdb
    r set k1 hello
    assert_equal {} [r lcs k1 nokey]
    assert_equal 0 [r lcs nokey k1 len]
    assert_equal {matches {} len 0} [r lcs nokey nokey2 idx]
}

test {LCS of int encoded values uses their text} {
    r flushdb
    r set a 12345
    r set b 1x3y5
    assert_equal 135 [r lcs a b]
}

test {LCS is binary safe} {
    r flushdb
    r set a "\x00a\x00b\xff"
    r set b "a\x00\xff"
    assert_equal "a\x00\xff" [r lcs a b]
}

test {LCS errors} {
    r flushdb
    r mset k1 a k2 b
    r rpush l x
    assert_error {ERR The specified keys must contain string values} {r lcs k1 l}
    assert_error {ERR The specified keys must contain string values} {r lcs l k1}
    # Type errors come before option errors.
    assert_error {ERR The specified keys must contain string values} {r lcs l k1 foo}
    assert_error {ERR If you want both the length and indexes, please just use IDX.} {r lcs k1 k2 len idx}
    assert_error {ERR syntax error} {r lcs k1 k2 foo}
    assert_error {ERR syntax error} {r lcs k1 k2 minmatchlen}
    assert_error {ERR value is not an integer or out of range} {r lcs k1 k2 minmatchlen x}
    assert_error {ERR wrong number of arguments for 'lcs' command} {r lcs k1}
} {needs:types}

# A plain Tcl LCS length, to check the server's on random inputs.
proc string_lcs_len {a b} {
    set la [string length $a]
    set lb [string length $b]
    set prev [lrepeat [expr {$lb + 1}] 0]
    for {set i 1} {$i <= $la} {incr i} {
        set cur [list 0]
        set ca [string index $a [expr {$i - 1}]]
        for {set j 1} {$j <= $lb} {incr j} {
            if {$ca eq [string index $b [expr {$j - 1}]]} {
                lappend cur [expr {[lindex $prev [expr {$j - 1}]] + 1}]
            } else {
                set up [lindex $prev $j]
                set left [lindex $cur [expr {$j - 1}]]
                lappend cur [expr {$up > $left ? $up : $left}]
            }
        }
        set prev $cur
    }
    return [lindex $prev $lb]
}

# Whether s is a subsequence of t.
proc string_is_subseq {s t} {
    set j 0
    set lt [string length $t]
    foreach ch [split $s ""] {
        while {$j < $lt && [string index $t $j] ne $ch} { incr j }
        if {$j >= $lt} { return 0 }
        incr j
    }
    return 1
}

test {LCS fuzzing: length, subsequence and IDX ranges agree} {
    r flushdb
    for {set i 0} {$i < 100} {incr i} {
        set a [randstring 0 30 simplealpha]
        set b [randstring 0 30 simplealpha]
        r mset a $a b $b
        set len [string_lcs_len $a $b]
        assert_equal $len [r lcs a b len]
        set s [r lcs a b]
        assert_equal $len [string length $s]
        assert {[string_is_subseq $s $a] && [string_is_subseq $s $b]}
        # The IDX ranges, read back in order, spell the same subsequence.
        set idx [r lcs a b idx withmatchlen]
        assert_equal $len [dict get $idx len]
        set spelled ""
        foreach m [lreverse [dict get $idx matches]] {
            lassign $m ra rb mlen
            assert_equal [string range $a {*}$ra] [string range $b {*}$rb]
            assert_equal $mlen [expr {[lindex $ra 1] - [lindex $ra 0] + 1}]
            append spelled [string range $a {*}$ra]
        }
        assert_equal $s $spelled
    }
}

# ----------------------------------------------------------- keyspace events

test {String commands fire their keyspace events} {
    r flushdb
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r set k v
    r set k v ex 100
    r append k x
    r setrange k 0 y
    r incr n
    r incrbyfloat f 1.5
    r getex k persist
    r getdel k
    r setbit b 0 1
    r getex n ex 10
    assert_equal {{set k} {set k} {expire k} {append k} {setrange k} {incrby n} {incrbyfloat f} {persist k} {del k} {setbit b} {expire n}} [string_read_events $c 11]
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

test {No events for writes that change nothing} {
    r flushdb
    r set k v
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r set k v2 nx
    r setrange k 0 ""
    r getex k persist
    r set marker 1
    # The first event seen is the marker's.
    assert_equal {{set marker}} [string_read_events $c 1]
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

}
