# bitops.tcl: SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP.
#
# Bits are numbered from the most significant bit of the first byte. The Tcl
# models below work on the "0101..." text of a value (binary scan B*), so
# random tests compare the server with a plain, obviously correct version.

# The bits of a byte string as a string of 0 and 1.
proc bitops_bits {s} {
    binary scan $s B* bits
    return $bits
}

# Model of BITCOUNT key start end ?unit? (Redis 7.0 range rules).
proc bitops_count_model {s args} {
    set bits [bitops_bits $s]
    set len [string length $s]
    if {[llength $args] == 0} {
        return [regexp -all 1 $bits]
    }
    lassign $args start end unit
    set total [expr {$unit eq "bit" ? $len * 8 : $len}]
    # Two negative indexes in the wrong order count nothing (even when
    # clamping would make them overlap).
    if {$start < 0 && $end < 0 && $start > $end} { return 0 }
    if {$start < 0} { incr start $total }
    if {$end < 0} { incr end $total }
    if {$start < 0} { set start 0 }
    if {$end < 0} { set end 0 }
    if {$end >= $total} { set end [expr {$total - 1}] }
    if {$start > $end} { return 0 }
    if {$unit ne "bit"} {
        set start [expr {$start * 8}]
        set end [expr {$end * 8 + 7}]
    }
    return [regexp -all 1 [string range $bits $start $end]]
}

# Model of BITPOS key bit ?start? ?end? ?unit?.
proc bitops_pos_model {s bit args} {
    set bits [bitops_bits $s]
    set len [string length $s]
    set unit [lindex $args 2]
    set total [expr {$unit eq "bit" ? $len * 8 : $len}]
    set start 0
    set end [expr {$total - 1}]
    set end_given 0
    if {[llength $args] >= 1} { set start [lindex $args 0] }
    if {[llength $args] >= 2} { set end [lindex $args 1]; set end_given 1 }
    if {$start < 0} { incr start $total }
    if {$end < 0} { incr end $total }
    if {$start < 0} { set start 0 }
    if {$end < 0} { set end 0 }
    if {$end >= $total} { set end [expr {$total - 1}] }
    if {$start > $end} { return -1 }
    if {$unit ne "bit"} {
        set start [expr {$start * 8}]
        set end [expr {$end * 8 + 7}]
    }
    set i [string first $bit [string range $bits $start $end]]
    if {$i >= 0} { return [expr {$start + $i}] }
    if {$bit == 0 && !$end_given} { return [expr {$end + 1}] }
    return -1
}

# Model of BITOP over byte strings.
proc bitops_op_model {op args} {
    set maxlen 0
    foreach s $args {
        if {[string length $s] > $maxlen} { set maxlen [string length $s] }
    }
    set out {}
    for {set i 0} {$i < $maxlen} {incr i} {
        set acc {}
        foreach s $args {
            binary scan [string index $s $i] cu b
            if {![info exists b] || [string index $s $i] eq ""} { set b 0 }
            if {$acc eq {}} {
                set acc $b
            } else {
                switch $op {
                    and { set acc [expr {$acc & $b}] }
                    or { set acc [expr {$acc | $b}] }
                    xor { set acc [expr {$acc ^ $b}] }
                }
            }
            unset b
        }
        if {$op eq "not"} { set acc [expr {~$acc & 255}] }
        append out [binary format c $acc]
    }
    return $out
}

start_server {tags {"bitops"}} {

# ------------------------------------------------------------ SETBIT/GETBIT

test {SETBIT against a missing key creates a zero-padded raw string} {
    r flushdb
    assert_equal 0 [r setbit k 1 1]
    assert_equal "\x40" [r get k]
    assert_encoding raw k
    assert_equal 0 [r setbit k 17 1]
    assert_equal "\x40\x00\x40" [r get k]
}

test {SETBIT replies the previous bit} {
    r flushdb
    assert_equal 0 [r setbit k 7 1]
    assert_equal 1 [r setbit k 7 1]
    assert_equal 1 [r setbit k 7 0]
    assert_equal 0 [r setbit k 7 0]
    assert_equal "\x00" [r get k]
}

test {SETBIT against an existing string} {
    r flushdb
    r set k "@"
    assert_equal 0 [r setbit k 2 1]
    assert_equal "\x60" [r get k]
    assert_equal 1 [r setbit k 1 0]
    assert_equal "\x20" [r get k]
    assert_encoding raw k
}

test {SETBIT that changes nothing still makes the value raw} {
    r flushdb
    r set k abc
    assert_equal 0 [r setbit k 0 0]
    assert_equal abc [r get k]
    assert_encoding raw k
}

test {SETBIT against an int encoded value edits its text} {
    r flushdb
    r set k 1
    assert_encoding int k
    # '1' is 0x31; setting bit 6 gives 0x33, '3'.
    assert_equal 0 [r setbit k 6 1]
    assert_equal 3 [r get k]
    assert_encoding raw k
}

test {SETBIT keeps the TTL} {
    r flushdb
    r set k a ex 100
    r setbit k 100 1
    assert_range [r ttl k] 90 100
}

test {SETBIT errors} {
    r flushdb
    assert_error {ERR bit offset is not an integer or out of range} {r setbit k -1 1}
    assert_error {ERR bit offset is not an integer or out of range} {r setbit k x 1}
    assert_error {ERR bit offset is not an integer or out of range} {r setbit k 4294967296 1}
    assert_error {ERR bit offset is not an integer or out of range} {r setbit k #1 1}
    assert_error {ERR bit is not an integer or out of range} {r setbit k 0 2}
    assert_error {ERR bit is not an integer or out of range} {r setbit k 0 -1}
    assert_error {ERR bit is not an integer or out of range} {r setbit k 0 x}
    assert_error {ERR bit is not an integer or out of range} {r setbit k 0 1.0}
    assert_equal 0 [r exists k]
}

test {SETBIT against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    # Arguments are checked before the type.
    assert_error {ERR bit is not an integer or out of range} {r setbit l 0 2}
    assert_error {WRONGTYPE*} {r setbit l 0 1}
} {needs:types}

test {SETBIT with the largest offset allowed by proto-max-bulk-len} {
    r flushdb
    r config set proto-max-bulk-len 1048576
    assert_error {ERR bit offset is not an integer or out of range} {r setbit k 8388608 1}
    assert_equal 0 [r setbit k 8388607 1]
    assert_equal 1048576 [r strlen k]
    assert_equal 1 [r getbit k 8388607]
    assert_error {ERR bit offset is not an integer or out of range} {r getbit k 8388608}
    r config set proto-max-bulk-len 536870912
}

test {GETBIT against a missing key and past the end} {
    r flushdb
    assert_equal 0 [r getbit nokey 0]
    assert_equal 0 [r getbit nokey 4294967295]
    r set k "\x80"
    assert_equal 1 [r getbit k 0]
    assert_equal 0 [r getbit k 1]
    assert_equal 0 [r getbit k 8]
    assert_equal 0 [r getbit k 1000000]
}

test {GETBIT against an int encoded value} {
    r flushdb
    r set k 12
    # "12" is 0x31 0x32: 00110001 00110010
    set got {}
    for {set i 0} {$i < 16} {incr i} { append got [r getbit k $i] }
    assert_equal 0011000100110010 $got
    assert_encoding int k
}

test {GETBIT errors} {
    r flushdb
    r rpush l a
    assert_error {ERR bit offset is not an integer or out of range} {r getbit k -1}
    assert_error {ERR bit offset is not an integer or out of range} {r getbit k 4294967296}
    assert_error {ERR bit offset is not an integer or out of range} {r getbit l x}
    assert_error {WRONGTYPE*} {r getbit l 0}
} {needs:types}

test {SETBIT/GETBIT fuzzing against a Tcl model} {
    r flushdb
    set model ""
    for {set i 0} {$i < 500} {incr i} {
        set off [randomInt 300]
        set val [randomInt 2]
        set need [expr {$off + 1}]
        if {[string length $model] < $need} {
            append model [string repeat 0 [expr {(($need + 7) / 8) * 8 - [string length $model]}]]
        }
        set old [string index $model $off]
        set model [string replace $model $off $off $val]
        assert_equal $old [r setbit k $off $val]
        assert_equal $val [r getbit k $off]
    }
    assert_equal $model [bitops_bits [r get k]]
}

# ---------------------------------------------------------------- BITCOUNT

test {BITCOUNT of a missing key is 0, whatever the arguments} {
    r flushdb
    assert_equal 0 [r bitcount nokey]
    assert_equal 0 [r bitcount nokey 0 -1]
    assert_equal 0 [r bitcount nokey 1 x]
    assert_equal 0 [r bitcount nokey 1]
}

test {BITCOUNT of simple values} {
    r flushdb
    r set k foobar
    assert_equal 26 [r bitcount k]
    assert_equal 4 [r bitcount k 0 0]
    assert_equal 6 [r bitcount k 1 1]
    assert_equal 10 [r bitcount k 0 1]
    assert_equal 26 [r bitcount k 0 -1]
    assert_equal 10 [r bitcount k -3 -1]
    r set k ""
    assert_equal 0 [r bitcount k]
    assert_equal 0 [r bitcount k 0 -1]
}

test {BITCOUNT with BYTE and BIT units} {
    r flushdb
    r set k foobar
    assert_equal 10 [r bitcount k 0 1 byte]
    assert_equal 10 [r bitcount k 0 1 BYTE]
    assert_equal 17 [r bitcount k 5 30 bit]
    assert_equal 26 [r bitcount k 0 -1 bit]
    assert_equal 0 [r bitcount k 0 0 bit]
    assert_equal 1 [r bitcount k 1 1 BiT]
    assert_equal 3 [r bitcount k -6 -1 bit]
}

test {BITCOUNT edge ranges} {
    r flushdb
    r set k "\xff\xff\xff"
    assert_equal 0 [r bitcount k 2 1]
    assert_equal 8 [r bitcount k -1 100]
    assert_equal 24 [r bitcount k -100 100]
    assert_equal 8 [r bitcount k -100 -3]
    assert_equal 0 [r bitcount k -1 -3]
    # Negative and inverted: 0 even though both clamp to byte 0.
    assert_equal 0 [r bitcount k -30 -60]
    assert_equal 0 [r bitcount k -30 -60 bit]
    assert_equal 8 [r bitcount k -30 -3]
    assert_equal 0 [r bitcount k 3 10]
    assert_equal 24 [r bitcount k 0 9223372036854775807]
    assert_equal 24 [r bitcount k -9223372036854775808 9223372036854775807]
    assert_equal 1 [r bitcount k 23 23 bit]
    assert_equal 0 [r bitcount k 24 30 bit]
    assert_equal 24 [r bitcount k 0 100 bit]
    assert_equal 7 [r bitcount k 1 7 bit]
    assert_equal 9 [r bitcount k 7 15 bit]
}

test {BITCOUNT of an int encoded value counts its text} {
    r flushdb
    r set k 12
    assert_equal 6 [r bitcount k]
}

test {BITCOUNT errors} {
    r flushdb
    r set k foobar
    assert_error {ERR syntax error} {r bitcount k 0}
    assert_error {ERR syntax error} {r bitcount k 0 1 foo}
    assert_error {ERR syntax error} {r bitcount k 0 1 bit extra}
    # Negative inverted indexes answer 0 before the unit is even looked at.
    assert_equal 0 [r bitcount k -1 -5 foo]
    assert_error {ERR syntax error} {r bitcount k -5 -1 foo}
    assert_error {ERR value is not an integer or out of range} {r bitcount k 0 x}
    assert_error {ERR value is not an integer or out of range} {r bitcount k x 1}
}

test {BITCOUNT against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r bitcount l}
    assert_error {WRONGTYPE*} {r bitcount l 0 x}
} {needs:types}

test {BITCOUNT fuzzing against a Tcl model} {
    r flushdb
    for {set i 0} {$i < 300} {incr i} {
        set s [randstring 0 40 binary]
        r set k $s
        assert_equal [bitops_count_model $s] [r bitcount k]
        set len [string length $s]
        set a [expr {[randomInt [expr {2 * $len + 10}]] - $len - 5}]
        set b [expr {[randomInt [expr {2 * $len + 10}]] - $len - 5}]
        assert_equal [bitops_count_model $s $a $b byte] [r bitcount k $a $b] "'$s' $a $b"
        set a [expr {[randomInt [expr {16 * $len + 20}]] - 8 * $len - 10}]
        set b [expr {[randomInt [expr {16 * $len + 20}]] - 8 * $len - 10}]
        assert_equal [bitops_count_model $s $a $b bit] [r bitcount k $a $b bit] "'$s' $a $b bit"
    }
}

test {BITCOUNT of a long string (word-at-a-time paths)} {
    r flushdb
    set s [string repeat "\xaa\x0f\xff\x00\x01" 1000]
    r set k $s
    assert_equal [expr {1000 * (4 + 4 + 8 + 0 + 1)}] [r bitcount k]
    assert_equal [bitops_count_model $s 3 4001] [r bitcount k 3 4001]
    assert_equal [bitops_count_model $s 13 31999 bit] [r bitcount k 13 31999 bit]
}

# ------------------------------------------------------------------ BITPOS

test {BITPOS of a missing key} {
    r flushdb
    assert_equal -1 [r bitpos nokey 1]
    assert_equal 0 [r bitpos nokey 0]
    # The range is not even parsed.
    assert_equal -1 [r bitpos nokey 1 x]
}

test {BITPOS of simple values} {
    r flushdb
    r set k "\xff\xf0\x00"
    assert_equal 12 [r bitpos k 0]
    assert_equal 0 [r bitpos k 1]
    assert_equal 16 [r bitpos k 0 2]
    assert_equal -1 [r bitpos k 1 2]
    assert_equal 12 [r bitpos k 0 0 -1]
    r set k "\x00\xff\xf0"
    assert_equal 8 [r bitpos k 1 0]
    assert_equal 8 [r bitpos k 1 1]
    assert_equal 0 [r bitpos k 0 0]
    assert_equal 16 [r bitpos k 1 2 -1]
}

test {BITPOS of all ones looking for 0: padding only without an end} {
    r flushdb
    r set k "\xff\xff\xff"
    assert_equal 24 [r bitpos k 0]
    assert_equal 24 [r bitpos k 0 0]
    assert_equal 24 [r bitpos k 0 1]
    assert_equal -1 [r bitpos k 0 0 -1]
    assert_equal -1 [r bitpos k 0 0 2]
    assert_equal -1 [r bitpos k 0 0 23 bit]
}

test {BITPOS of all zeros looking for 1 is -1} {
    r flushdb
    r set k "\x00\x00\x00"
    assert_equal -1 [r bitpos k 1]
    assert_equal -1 [r bitpos k 1 1]
    assert_equal -1 [r bitpos k 1 0 -1 bit]
}

test {BITPOS with BIT ranges} {
    r flushdb
    r set k "\x00\xff\x00"
    assert_equal 8 [r bitpos k 1 0 -1 bit]
    assert_equal 9 [r bitpos k 1 9 -1 bit]
    assert_equal 7 [r bitpos k 0 7 15 bit]
    assert_equal 16 [r bitpos k 0 8 -1 bit]
    assert_equal -1 [r bitpos k 0 8 15 bit]
    assert_equal -1 [r bitpos k 1 16 23 bit]
    assert_equal 15 [r bitpos k 1 15 15 bit]
    assert_equal 8 [r bitpos k 1 -16 -1 bit]
}

test {BITPOS negative inverted ranges are clamped, unlike BITCOUNT} {
    r flushdb
    r set k "\xff"
    assert_equal 0 [r bitpos k 1 -30 -60]
    assert_equal 0 [r bitpos k 1 -30 -60 bit]
    r set k "|"
    assert_equal 1 [r bitpos k 1 -3 -6]
}

test {BITPOS empty and inverted ranges are -1} {
    r flushdb
    r set k "\x00\xff"
    assert_equal -1 [r bitpos k 1 2]
    assert_equal -1 [r bitpos k 0 2]
    assert_equal -1 [r bitpos k 0 1 0]
    assert_equal -1 [r bitpos k 0 100]
    r set k ""
    assert_equal -1 [r bitpos k 0]
    assert_equal -1 [r bitpos k 1]
}

test {BITPOS of an int encoded value uses its text} {
    r flushdb
    r set k 1
    # '1' is 0x31 = 00110001
    assert_equal 2 [r bitpos k 1]
    assert_equal 0 [r bitpos k 0]
}

test {BITPOS errors} {
    r flushdb
    r set k foo
    assert_error {ERR The bit argument must be 1 or 0.} {r bitpos k 2}
    assert_error {ERR The bit argument must be 1 or 0.} {r bitpos nokey -1}
    assert_error {ERR value is not an integer or out of range} {r bitpos k x}
    assert_error {ERR value is not an integer or out of range} {r bitpos k 1 x}
    assert_error {ERR value is not an integer or out of range} {r bitpos k 1 0 x}
    assert_error {ERR syntax error} {r bitpos k 1 0 1 foo}
    assert_error {ERR syntax error} {r bitpos k 1 0 1 bit extra}
}

test {BITPOS against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    # The bit is checked before the type, the type before the range.
    assert_error {ERR The bit argument must be 1 or 0.} {r bitpos l 3}
    assert_error {WRONGTYPE*} {r bitpos l 1}
    assert_error {WRONGTYPE*} {r bitpos l 1 x}
} {needs:types}

test {BITPOS fuzzing against a Tcl model} {
    r flushdb
    for {set i 0} {$i < 400} {incr i} {
        # Mostly runs of 0x00 and 0xff so that both answers are interesting.
        set s ""
        set n [randomInt 30]
        for {set j 0} {$j < $n} {incr j} {
            append s [lindex [list "\x00" "\xff" "\x00" "\xff" [binary format c [randomInt 256]]] [randomInt 5]]
        }
        r set k $s
        set len [string length $s]
        foreach bit {0 1} {
            assert_equal [bitops_pos_model $s $bit] [r bitpos k $bit] "'$s' $bit"
            set a [expr {[randomInt [expr {2 * $len + 6}]] - $len - 3}]
            set b [expr {[randomInt [expr {2 * $len + 6}]] - $len - 3}]
            assert_equal [bitops_pos_model $s $bit $a] [r bitpos k $bit $a] "'$s' $bit $a"
            assert_equal [bitops_pos_model $s $bit $a $b] [r bitpos k $bit $a $b] "'$s' $bit $a $b"
            set a [expr {[randomInt [expr {16 * $len + 20}]] - 8 * $len - 10}]
            set b [expr {[randomInt [expr {16 * $len + 20}]] - 8 * $len - 10}]
            assert_equal [bitops_pos_model $s $bit $a $b bit] [r bitpos k $bit $a $b bit] "'$s' $bit $a $b bit"
        }
    }
}

test {BITPOS over long runs (word-at-a-time paths)} {
    r flushdb
    r set k "[string repeat "\x00" 1000]\x01[string repeat "\x00" 10]"
    assert_equal 8007 [r bitpos k 1]
    assert_equal 8007 [r bitpos k 1 3]
    assert_equal -1 [r bitpos k 1 1001]
    assert_equal 8007 [r bitpos k 1 17 8007 bit]
    assert_equal -1 [r bitpos k 1 17 8006 bit]
    r set k "[string repeat "\xff" 1000]\xfe"
    assert_equal 8007 [r bitpos k 0]
    assert_equal 8007 [r bitpos k 0 5 -1]
    r set k [string repeat "\xff" 1000]
    assert_equal 8000 [r bitpos k 0]
    assert_equal -1 [r bitpos k 0 0 -1]
}

# ------------------------------------------------------------------- BITOP

test {BITOP AND, OR, XOR, NOT of simple values} {
    r flushdb
    r set a "\xf0\x0f"
    r set b "\xff\x00\xaa"
    assert_equal 3 [r bitop and d a b]
    assert_equal "\xf0\x00\x00" [r get d]
    assert_equal 3 [r bitop or d a b]
    assert_equal "\xff\x0f\xaa" [r get d]
    assert_equal 3 [r bitop xor d a b]
    assert_equal "\x0f\x0f\xaa" [r get d]
    assert_equal 2 [r bitop not d a]
    assert_equal "\x0f\xf0" [r get d]
}

test {BITOP operation names are case insensitive} {
    r flushdb
    r set a "\x01"
    assert_equal 1 [r bitop NoT d a]
    assert_equal "\xfe" [r get d]
    assert_equal 1 [r bitop Or d a]
}

test {BITOP result is raw and replaces destkey and its TTL} {
    r flushdb
    r set a x
    r rpush d 1
    r bitop not d a
    assert_equal string [r type d]
    assert_encoding raw d
    r set d old ex 100
    r bitop or d a
    assert_equal -1 [r ttl d]
} {needs:types}

test {BITOP with missing keys treats them as empty strings} {
    r flushdb
    r set a "\xff\xff"
    assert_equal 2 [r bitop and d a nokey]
    assert_equal "\x00\x00" [r get d]
    assert_equal 2 [r bitop or d nokey a]
    assert_equal "\xff\xff" [r get d]
}

test {BITOP with an empty result deletes destkey} {
    r flushdb
    r set d old
    assert_equal 0 [r bitop or d nokey1 nokey2]
    assert_equal 0 [r exists d]
    r set e ""
    r set d old
    assert_equal 0 [r bitop not d e]
    assert_equal 0 [r exists d]
}

test {BITOP with destkey among the sources} {
    r flushdb
    r set a "\x0f"
    r set b "\xf0"
    r bitop or a a b
    assert_equal "\xff" [r get a]
}

test {BITOP of int encoded values uses their text} {
    r flushdb
    r set a 1
    r set b 2
    r bitop xor d a b
    assert_equal "\x03" [r get d]
}

test {BITOP errors} {
    r flushdb
    r set a x
    r rpush l x
    assert_error {ERR syntax error} {r bitop foo d a}
    assert_error {ERR BITOP NOT must be called with a single source key.} {r bitop not d a a}
    assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop not d}
    assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop and d}
    assert_error {WRONGTYPE*} {r bitop and d a l}
    assert_error {WRONGTYPE*} {r bitop not d l}
    assert_equal 0 [r exists d]
} {needs:types}

test {BITOP fuzzing against a Tcl model} {
    r flushdb
    foreach op {and or xor not} {
        for {set i 0} {$i < 60} {incr i} {
            set n [expr {$op eq "not" ? 1 : 1 + [randomInt 4]}]
            set keys {}
            set vals {}
            for {set j 0} {$j < $n} {incr j} {
                set v [randstring 0 40 binary]
                r set src$j $v
                lappend keys src$j
                lappend vals $v
            }
            set want [bitops_op_model $op {*}$vals]
            assert_equal [string length $want] [r bitop $op dest {*}$keys]
            if {$want ne ""} {
                assert_equal $want [r get dest] "$op"
            } else {
                assert_equal 0 [r exists dest]
            }
        }
    }
}

}
