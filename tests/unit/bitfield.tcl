# bitfield.tcl: BITFIELD and BITFIELD_RO.
#
# Covers GET/SET/INCRBY on signed (i1..i64) and unsigned (u1..u63) fields at
# any bit offset, "#n" positional offsets, the three OVERFLOW modes, the
# argument errors, how the key is created and grown, and a fuzzer that checks
# the server against a Tcl model of the fields and of the overflow rules.

# Overflow model: value (already in range or not, for SET) plus incr into a
# field of `bits` bits. Returns {overflowed result} where result is what the
# field holds under `mode` (wrap or sat; fail callers ignore it).
proc bitfield_fit {signed bits value incr mode} {
    if {$signed} {
        set max [expr {(1 << ($bits - 1)) - 1}]
        set min [expr {-$max - 1}]
    } else {
        set max [expr {(1 << $bits) - 1}]
        set min 0
    }
    set sum [expr {$value + $incr}]
    if {$sum >= $min && $sum <= $max} { return [list 0 $sum] }
    if {$mode eq "sat"} {
        return [list 1 [expr {$sum > $max ? $max : $min}]]
    }
    set w [expr {$sum & ((1 << $bits) - 1)}]
    if {$signed && $w > $max} { set w [expr {$w - (1 << $bits)}] }
    return [list 1 $w]
}

start_server {tags {"bitfield"}} {

test {BITFIELD signed SET and GET} {
    r flushdb
    assert_equal {0} [r bitfield k set i8 0 -100]
    assert_equal {-100} [r bitfield k get i8 0]
    assert_equal {-100 101} [r bitfield k set i8 0 101 get i8 0]
    assert_equal {101} [r bitfield k get i8 0]
}

test {BITFIELD unsigned SET and GET} {
    r flushdb
    assert_equal {0} [r bitfield k set u8 0 255]
    assert_equal {255} [r bitfield k get u8 0]
    assert_equal {255 100} [r bitfield k set u8 0 100 get u8 0]
}

test {BITFIELD fields are big endian from the first bit} {
    r flushdb
    r bitfield k set u8 0 255
    assert_equal "\xff" [r get k]
    r bitfield k set u4 8 10
    assert_equal "\xff\xa0" [r get k]
    assert_equal {15 10 1 1} [r bitfield k get u4 0 get u4 8 get u1 8 get u1 10]
    assert_equal {-1 -6} [r bitfield k get i8 0 get i4 8]
}

test {BITFIELD unaligned fields across bytes} {
    r flushdb
    r bitfield k set u16 3 65535
    assert_equal "\x1f\xff\xe0" [r get k]
    assert_equal {65535 -1 8191} [r bitfield k get u16 3 get i16 3 get u13 3]
}

test {BITFIELD 64 bit signed and 63 bit unsigned extremes} {
    r flushdb
    assert_equal {0 9223372036854775807} [r bitfield k set i64 0 9223372036854775807 get i64 0]
    assert_equal {9223372036854775807 -9223372036854775808} [r bitfield k set i64 0 -9223372036854775808 get i64 0]
    assert_equal {0 9223372036854775807} [r bitfield k set u63 64 9223372036854775807 get u63 64]
    assert_equal {-1} [r bitfield k get i1 0]
    assert_equal {0} [r bitfield k get i1 1]
}

test {BITFIELD # positional offsets} {
    r flushdb
    r bitfield k set u8 #0 1 set u8 #1 2 set u8 #2 3
    assert_equal "\x01\x02\x03" [r get k]
    assert_equal {2 3} [r bitfield k get u8 #1 get u8 #2]
    r bitfield k set i4 #1 -1
    assert_equal "\x0f\x02\x03" [r get k]
}

test {BITFIELD INCRBY} {
    r flushdb
    assert_equal {1 2 12} [r bitfield k incrby u8 0 1 incrby u8 0 1 incrby u8 0 10]
    assert_equal {-1 -11} [r bitfield k incrby i8 8 -1 incrby i8 8 -10]
}

test {BITFIELD GET of a missing key and past the end reads zeros} {
    r flushdb
    assert_equal {0 0} [r bitfield nokey get u8 0 get i64 1000]
    assert_equal 0 [r exists nokey]
    r set k "\xff"
    assert_equal {255 65280 0} [r bitfield k get u8 0 get u16 0 get u8 8]
    assert_equal 1 [r strlen k]
}

test {BITFIELD GET of an int encoded value reads its text} {
    r flushdb
    r set k 12
    assert_equal {12594} [r bitfield k get u16 0]
    assert_encoding int k
}

test {BITFIELD without operations replies an empty array} {
    r flushdb
    assert_equal {} [r bitfield nokey]
    assert_equal 0 [r exists nokey]
    r set k v
    assert_equal {} [r bitfield k]
}

test {BITFIELD writes grow the string and make it raw} {
    r flushdb
    r set k 1
    r bitfield k set u8 16 65
    assert_equal "1\x00A" [r get k]
    assert_encoding raw k
    r set k2 abc ex 100
    r bitfield k2 set u8 0 65
    assert_equal Abc [r get k2]
    assert_range [r ttl k2] 90 100
}

test {BITFIELD overflow WRAP (the default)} {
    r flushdb
    assert_equal {0 255 0} [r bitfield k set u8 0 255 get u8 0 incrby u8 0 1]
    assert_equal {0 127 -128 127} [r bitfield k set i8 8 127 get i8 8 incrby i8 8 1 incrby i8 8 -1]
    assert_equal {0 0} [r bitfield k overflow wrap set u8 16 256 get u8 16]
    assert_equal {0 -56} [r bitfield k set i8 24 200 get i8 24]
}

test {BITFIELD overflow SAT} {
    r flushdb
    assert_equal {0 255 255} [r bitfield k overflow sat set u8 0 1000 get u8 0 incrby u8 0 10]
    assert_equal {0} [r bitfield k overflow sat incrby u8 0 -1000]
    assert_equal {0 -128} [r bitfield k overflow sat set i8 8 1000 incrby i8 8 -1000]
    # A negative value in an unsigned SET saturates high, as in Redis.
    assert_equal {128 255} [r bitfield k overflow sat set u8 8 -1 get u8 8]
}

test {BITFIELD overflow FAIL replies null and changes nothing} {
    r flushdb
    r bitfield k set u2 0 3
    r readraw 1
    set lines [list [r bitfield k overflow fail incrby u2 0 1 get u2 0]]
    lappend lines [r read] [r read]
    r readraw 0
    assert_equal {*2 {$-1} :3} $lines
    assert_equal {{} {}} [r bitfield k overflow fail set i8 8 128 set u8 8 -1]
    assert_equal {0} [r bitfield k get u8 8]
}

test {BITFIELD OVERFLOW applies to the operations after it only} {
    r flushdb
    assert_equal {0 255 {} 0} [r bitfield k set u8 0 255 incrby u8 0 0 overflow fail incrby u8 0 1 overflow wrap incrby u8 0 1]
}

test {BITFIELD signed and unsigned field sizes against the model} {
    r flushdb
    foreach signed {0 1} {
        foreach bits {1 2 7 8 9 15 16 31 32 33 63 64} {
            if {!$signed && $bits == 64} continue
            set t [expr {$signed ? "i" : "u"}]$bits
            if {$signed} {
                set max [expr {(1 << ($bits - 1)) - 1}]
                set min [expr {-$max - 1}]
            } else {
                set max [expr {(1 << $bits) - 1}]
                set min 0
            }
            r del k
            assert_equal [list 0 $max] [r bitfield k set $t 3 $max get $t 3] $t
            assert_equal [list $min] [r bitfield k incrby $t 3 1] "$t wrap up"
            assert_equal [list $max] [r bitfield k incrby $t 3 -1] "$t wrap down"
            assert_equal [list $max $max $min] [r bitfield k overflow sat incrby $t 3 1 set $t 3 $min incrby $t 3 -1] "$t sat"
            assert_equal [list $min] [r bitfield k overflow sat incrby $t 3 -9223372036854775808] "$t sat big"
            assert_equal {{}} [r bitfield k overflow fail incrby $t 3 -1] "$t fail"
        }
    }
}

test {BITFIELD creates the key even when every write fails} {
    r flushdb
    assert_equal {{}} [r bitfield k overflow fail set u8 100 256]
    assert_equal 1 [r exists k]
    assert_equal 14 [r strlen k]
}

test {BITFIELD errors} {
    r flushdb
    set typeerr {ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.}
    foreach t {x8 I8 U8 u64 i65 i0 u0 i i+8 i08 i-1 "" u8x} {
        assert_error $typeerr {r bitfield k get $t 0}
    }
    set offerr {ERR bit offset is not an integer or out of range}
    foreach o {-1 x # #x #-1 1.5 " 1" 4294967296 #536870912} {
        assert_error $offerr {r bitfield k get u8 $o}
    }
    assert_equal {0} [r bitfield k get u8 #536870911]
    assert_equal {0} [r bitfield k get u8 4294967295]
    assert_error {ERR syntax error} {r bitfield k get u8}
    assert_error {ERR syntax error} {r bitfield k get}
    assert_error {ERR syntax error} {r bitfield k set u8 0}
    assert_error {ERR syntax error} {r bitfield k incrby u8 0}
    assert_error {ERR syntax error} {r bitfield k foo}
    assert_error {ERR syntax error} {r bitfield k get u8 0 foo}
    assert_error {ERR syntax error} {r bitfield k overflow}
    assert_error {ERR Invalid OVERFLOW type specified} {r bitfield k overflow foo}
    assert_error {ERR value is not an integer or out of range} {r bitfield k set u8 0 x}
    assert_error {ERR value is not an integer or out of range} {r bitfield k incrby u8 0 9223372036854775808}
    # Every operation is parsed before anything is written.
    assert_error {ERR syntax error} {r bitfield k set u8 0 1 foo}
    assert_error $typeerr {r bitfield k set u8 0 1 get x1 0}
    assert_equal 0 [r exists k]
}

test {BITFIELD against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r bitfield l}
    assert_error {WRONGTYPE*} {r bitfield l get u8 0}
    assert_error {WRONGTYPE*} {r bitfield l set u8 0 1}
    # Argument errors come first.
    assert_error {ERR syntax error} {r bitfield l get}
} {needs:types}

test {BITFIELD option names are case insensitive} {
    r flushdb
    assert_equal {0 1 {}} [r bitfield k SET u8 0 1 Get u8 0 OverFlow FAIL incrBY u8 0 255]
}

test {BITFIELD_RO GET} {
    r flushdb
    r set k "\x01\x02"
    assert_equal {1 2 258} [r bitfield_ro k get u8 0 get u8 8 get u16 0]
    assert_equal {0} [r bitfield_ro nokey get i8 0]
    assert_equal {} [r bitfield_ro k]
    assert_equal {1} [r bitfield_ro k overflow sat get u8 0]
}

test {BITFIELD_RO refuses writes} {
    r flushdb
    r set k "\x01"
    assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro k set u8 0 5}
    assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro k get u8 0 incrby u8 0 1}
    assert_equal "\x01" [r get k]
    # Parse errors come before that.
    assert_error {ERR syntax error} {r bitfield_ro k set u8 0}
    assert_error {ERR syntax error} {r bitfield_ro k get u8 0 foo}
}

test {BITFIELD_RO against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r bitfield_ro l get u8 0}
} {needs:types}

test {BITFIELD fuzzing against a Tcl model} {
    r flushdb
    for {set i 0} {$i < 300} {incr i} {
        set signed [randomInt 2]
        set bits [expr {1 + [randomInt [expr {$signed ? 64 : 63}]]}]
        set t [expr {$signed ? "i" : "u"}]$bits
        set off [randomInt 200]
        set mode [lindex {wrap sat fail} [randomInt 3]]
        if {$signed} {
            set max [expr {(1 << ($bits - 1)) - 1}]
            set min [expr {-$max - 1}]
        } else {
            set max [expr {(1 << $bits) - 1}]
            set min 0
        }
        # Start from a random in-range value.
        set start [expr {$min + (wide(rand() * 1e18) % ($max - $min + 1))}]
        r del k
        r bitfield k set $t $off $start
        assert_equal [list $start] [r bitfield k get $t $off] "$t start"
        set incr [expr {wide(rand() * 2e18) - wide(1e18)}]
        if {[randomInt 2]} { set incr [expr {[randomInt 20] - 10}] }
        lassign [bitfield_fit $signed $bits $start $incr $mode] over res
        set got [r bitfield k overflow $mode incrby $t $off $incr get $t $off]
        if {$over && $mode eq "fail"} {
            assert_equal [list {} $start] $got "$t $start + $incr $mode"
        } else {
            assert_equal [list $res $res] $got "$t $start + $incr $mode"
        }
    }
}

}
