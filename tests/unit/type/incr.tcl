# incr.tcl: the counters on string values.
#
# Covers INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT: results, the encoding
# they leave (INT for the integer family, text for INCRBYFLOAT), overflow at
# the long long limits, what counts as a number (strict: no spaces, no
# leading zeros or '+'), float formatting, and TTL preservation.

start_server {tags {"incr"}} {

test {INCR against a missing key} {
    r flushdb
    assert_equal 1 [r incr novar]
    assert_equal 1 [r get novar]
}

test {INCR against a key created by INCR} {
    r flushdb
    r incr k
    assert_equal 2 [r incr k]
}

test {INCR against a key originally set with SET} {
    r flushdb
    r set k 100
    assert_equal 101 [r incr k]
}

test {DECR, INCRBY, DECRBY} {
    r flushdb
    assert_equal -1 [r decr k]
    assert_equal 9 [r incrby k 10]
    assert_equal -1 [r decrby k 10]
    assert_equal 0 [r incrby k 1]
    assert_equal 0 [r incrby k 0]
    assert_equal 5 [r decrby k -5]
}

test {INCR over 32 bit values} {
    r flushdb
    r set k 17179869184
    assert_equal 17179869185 [r incr k]
    assert_equal 34359738369 [r incrby k 17179869184]
}

test {INCR result is int encoded} {
    r flushdb
    r set k 1
    r incr k
    assert_encoding int k
    r set k [string repeat 1 5]
    r append k 1 ;# raw "111111"
    assert_encoding raw k
    assert_equal 111112 [r incr k]
    assert_encoding int k
    r set k " 1"
    catch {r incr k}
    assert_encoding embstr k
}

test {INCR of an embstr holding a number} {
    r flushdb
    r setrange k 0 41
    assert_encoding raw k
    assert_equal 42 [r incr k]
    assert_encoding int k
}

test {INCR keeps the TTL} {
    r flushdb
    r set k 1 ex 100
    r incr k
    assert_range [r ttl k] 90 100
    r incrbyfloat k 1.5
    assert_range [r ttl k] 90 100
}

test {INCR fails against a value that is not a canonical integer} {
    r flushdb
    foreach v {" 11" "11 " "+1" "01" "-0" "1.5" "abc" "" "1e3" "0x10" "9223372036854775808"} {
        r set k $v
        assert_error {ERR value is not an integer or out of range} {r incr k}
        assert_equal $v [r get k] "value '$v' unchanged"
    }
}

test {INCR at the long long limits} {
    r flushdb
    r set k 9223372036854775806
    assert_equal 9223372036854775807 [r incr k]
    assert_error {ERR increment or decrement would overflow} {r incr k}
    assert_equal 9223372036854775807 [r get k]
    r set k -9223372036854775807
    assert_equal -9223372036854775808 [r decr k]
    assert_error {ERR increment or decrement would overflow} {r decr k}
    assert_equal -9223372036854775808 [r get k]
}

test {INCRBY and DECRBY overflow} {
    r flushdb
    r set k 1
    assert_error {ERR increment or decrement would overflow} {r incrby k 9223372036854775807}
    r set k -2
    assert_error {ERR increment or decrement would overflow} {r incrby k -9223372036854775807}
    assert_equal -9223372036854775808 [r incrby k -9223372036854775806]
    r set k 0
    assert_equal -9223372036854775808 [r incrby k -9223372036854775808]
    assert_error {ERR value is not an integer or out of range} {r incrby k 18446744073709551615}
    assert_equal -9223372036854775808 [r get k]
}

test {INCRBY argument validation} {
    r flushdb
    r set k 5
    assert_error {ERR value is not an integer or out of range} {r incrby k 9223372036854775808}
    assert_error {ERR value is not an integer or out of range} {r incrby k 1.5}
    assert_error {ERR value is not an integer or out of range} {r incrby k abc}
    assert_error {ERR value is not an integer or out of range} {r incrby k " 1"}
    assert_error {ERR value is not an integer or out of range} {r incrby k ""}
    assert_error {ERR value is not an integer or out of range} {r decrby k x}
    assert_equal 5 [r get k]
}

test {INCRBY checks the increment before the type} {
    r flushdb
    r rpush l a
    assert_error {ERR value is not an integer or out of range} {r incrby l x}
} {needs:types}

test {DECRBY of LLONG_MIN is refused} {
    r flushdb
    r set k 5
    assert_error {ERR decrement would overflow} {r decrby k -9223372036854775808}
    assert_error {ERR decrement would overflow} {r decrby nokey -9223372036854775808}
    assert_equal 0 [r exists nokey]
    assert_equal 9223372036854775807 [r decrby nokey -9223372036854775807]
}

test {INCR family against a non-string is WRONGTYPE} {
    r flushdb
    r rpush l a
    assert_error {WRONGTYPE*} {r incr l}
    assert_error {WRONGTYPE*} {r decr l}
    assert_error {WRONGTYPE*} {r incrby l 1}
    assert_error {WRONGTYPE*} {r decrby l 1}
    assert_error {WRONGTYPE*} {r incrbyfloat l 1}
    assert_error {WRONGTYPE*} {r incrbyfloat l abc}
} {needs:types}

test {INCR wrong number of arguments} {
    assert_error {ERR wrong number of arguments for 'incr' command} {r incr}
    assert_error {ERR wrong number of arguments for 'incrby' command} {r incrby k}
    assert_error {ERR wrong number of arguments for 'incrbyfloat' command} {r incrbyfloat k}
}

test {INCR fuzzing against a Tcl model} {
    r flushdb
    set model 0
    for {set i 0} {$i < 1000} {incr i} {
        set by [expr {[randomInt 2000000] - 1000000}]
        switch [randomInt 4] {
            0 { set got [r incrby k $by]; incr model $by }
            1 { set got [r decrby k $by]; incr model [expr {-$by}] }
            2 { set got [r incr k]; incr model }
            3 { set got [r decr k]; incr model -1 }
        }
        assert_equal $model $got
    }
    assert_equal $model [r get k]
}

# ------------------------------------------------------------ INCRBYFLOAT

test {INCRBYFLOAT against a missing key} {
    r flushdb
    assert_equal 1 [r incrbyfloat novar 1]
    assert_equal 1 [r get novar]
    assert_equal 1.25 [r incrbyfloat novar 0.25]
    assert_equal 1.25 [r get novar]
}

test {INCRBYFLOAT formatting} {
    r flushdb
    r set k 10.5
    assert_equal 10.6 [r incrbyfloat k 0.1]
    r del k
    assert_equal 3000 [r incrbyfloat k 3.0e3]
    assert_equal 3000 [r get k]
    r set k 0
    assert_equal 0 [r incrbyfloat k -0.0]
    r set k 1
    assert_equal 1.23456789012345679 [r incrbyfloat k 0.23456789012345678901]
    r set k 5
    assert_equal -5 [r incrbyfloat k -10]
    assert_equal -4.5 [r incrbyfloat k 0.5]
    r set k 0.1
    assert_equal 0.3 [r incrbyfloat k 0.2]
}

test {INCRBYFLOAT accepts what strtold accepts} {
    r flushdb
    r set k 1
    assert_equal 17 [r incrbyfloat k 0x10]
    assert_equal 17 [r incrbyfloat k 1e-400]
    assert_equal 18 [r incrbyfloat k +1]
    assert_equal 19 [r incrbyfloat k 1.]
    assert_equal 19.5 [r incrbyfloat k .5]
}

test {INCRBYFLOAT over an integer value} {
    r flushdb
    r set k 17179869184
    assert_equal 17179869185.5 [r incrbyfloat k 1.5]
    r set k 5
    assert_equal 10 [r incrbyfloat k 5]
}

test {INCRBYFLOAT result is a string, not an integer encoding} {
    r flushdb
    r incrbyfloat k 3.0e3
    assert_encoding embstr k
    r set k 10
    r incrbyfloat k 1
    assert_encoding embstr k
    assert_equal 12 [r incr k]
}

test {INCRBYFLOAT fails against a value that is not a float} {
    r flushdb
    foreach v {abc " 1" "1 " "" "1.5x" "nan" "1,5"} {
        r set k $v
        assert_error {ERR value is not a valid float} {r incrbyfloat k 1}
        assert_equal $v [r get k]
    }
}

test {INCRBYFLOAT increment validation} {
    r flushdb
    r set k 1
    foreach inc {abc " 1" "1 " "" "nan" "1.5.5"} {
        assert_error {ERR value is not a valid float} {r incrbyfloat k $inc}
    }
    assert_error {ERR value is not a valid float} {r incrbyfloat nokey abc}
    assert_equal 0 [r exists nokey]
    assert_equal 1 [r get k]
}

test {INCRBYFLOAT does not allow NaN or Infinity} {
    r flushdb
    r set k 0
    assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat k +inf}
    assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat k -inf}
    # Beyond the long double range is not a float at all.
    assert_error {ERR value is not a valid float} {r incrbyfloat k 1e5000}
    assert_equal 0 [r get k]
    r set k inf
    assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat k 1}
}

test {INCRBYFLOAT of a value beyond the double range} {
    r flushdb
    r set k 1
    set v [r incrbyfloat k 1e400]
    assert_equal 1 [string match 1000000000* $v]
    assert_equal 401 [string length $v]
}

test {INCRBYFLOAT fuzzing with exactly representable quarters} {
    r flushdb
    for {set i 0} {$i < 200} {incr i} {
        set a [expr {[randomInt 100000] - 50000}]
        set q [expr {[randomInt 40] - 20}]
        r set k $a
        # Quarters are exact in binary, so the text is exact too, and
        # trailing zeros (and a bare ".") are trimmed.
        set inc [expr {$q / 4.0}]
        set sum [expr {$a * 4 + $q}]
        set sign [expr {$sum < 0 ? "-" : ""}]
        set sum [expr {abs($sum)}]
        set frac [lindex {"" .25 .5 .75} [expr {$sum % 4}]]
        set expected "$sign[expr {$sum / 4}]$frac"
        if {$expected eq "-0"} { set expected 0 }
        assert_equal $expected [r incrbyfloat k $inc] "$a + $inc"
    }
}

}
