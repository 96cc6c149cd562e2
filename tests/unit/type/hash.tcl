# hash.tcl: the hash type.
#
# Every command and option (HSET HMSET HSETNX HGET HMGET HDEL HLEN HSTRLEN
# HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN), their
# error replies, and their RESP3 shapes, run once per encoding: "listpack"
# (the default thresholds) and "hashtable" (hash-max-listpack-entries 0 turns
# every hash into a hash table on its first write).  Then the conversions at
# the exact thresholds, HRANDFIELD's randomness, HSCAN's guarantees, big
# hashes, and the generic commands that copy, digest and free hashes.
#
# Everything here passes against Redis 7.0 as well.

# Sets the thresholds so that hashes created from now on get encoding enc.
proc hash_use_encoding {enc} {
    r config set hash-max-listpack-value 64
    if {$enc eq "listpack"} {
        r config set hash-max-listpack-entries 128
    } else {
        r config set hash-max-listpack-entries 0
    }
}

# Chi-square statistic of the occurrence counts of the elements of res.
proc hash_chi_square {res} {
    unset -nocomplain counts
    foreach e $res { dict incr counts $e }
    set n [llength $res]
    set k [dict size $counts]
    set expected [expr {double($n) / $k}]
    set chi 0.0
    dict for {e c} $counts {
        set chi [expr {$chi + ($c - $expected) * ($c - $expected) / $expected}]
    }
    return $chi
}

# Flat field/value list of a dict-or-list reply, sorted by field.
proc hash_sorted_pairs {pairs} {
    set out {}
    foreach {f v} $pairs { lappend out [list $f $v] }
    return [lsort -index 0 $out]
}

start_server {tags {"type hash"}} {

foreach enc {listpack hashtable} {

    test "HSET creates a hash and counts new fields - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal 1 [r hset h a 1]
        assert_equal 2 [r hset h b 2 c 3]
        assert_encoding $enc h
        assert_equal 1 [r hget h a]
        assert_equal 3 [r hget h c]
        assert_equal hash [r type h]
    }

    test "HSET on existing fields replaces values and returns 0 - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1 b 2
        assert_equal 0 [r hset h a x b y]
        assert_equal 1 [r hset h a z c w]
        assert_equal {z y w} [r hmget h a b c]
        assert_equal 3 [r hlen h]
    }

    test "HSET with the same field twice in one call - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal 1 [r hset h a 1 a 2]
        assert_equal 2 [r hget h a]
        assert_equal 1 [r hlen h]
    }

    test "HSET/HMSET with an odd number of arguments - $enc" {
        hash_use_encoding $enc
        r del h
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a}
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h a}
        assert_equal 0 [r exists h]
    }

    test "HMSET replies OK - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal OK [r hmset h a 1 b 2]
        assert_equal OK [r hmset h a 3]
        assert_equal {3 2} [r hmget h a b]
        assert_encoding $enc h
    }

    test "Binary-safe fields and values, empty strings - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h "a\x00b" "v\x00\r\n" "" "" " " "space"
        assert_equal "v\x00\r\n" [r hget h "a\x00b"]
        assert_equal {} [r hget h ""]
        assert_equal 1 [r hexists h ""]
        assert_equal 0 [r hstrlen h ""]
        assert_equal space [r hget h " "]
        assert_equal 3 [r hlen h]
        assert_equal 0 [r hexists h "a"]
    }

    test "Integer-looking fields and values keep their text - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h 10 20 -5 007 0 -0 9223372036854775807 -9223372036854775808 1.5 +1
        assert_equal 20 [r hget h 10]
        assert_equal 007 [r hget h -5]
        assert_equal -0 [r hget h 0]
        assert_equal -9223372036854775808 [r hget h 9223372036854775807]
        assert_equal +1 [r hget h 1.5]
        assert_equal {} [r hget h 010]
        assert_equal {} [r hget h +10]
        assert_equal [lsort {10 -5 0 9223372036854775807 1.5}] [lsort [r hkeys h]]
        assert_equal [lsort {20 007 -0 -9223372036854775808 +1}] [lsort [r hvals h]]
        assert_equal 3 [r hstrlen h -5]
        assert_equal 20 [r hstrlen h 9223372036854775807]
        assert_equal 2 [r hstrlen h 10]
        assert_equal 2 [r hstrlen h 0]
    }

    test "HSETNX - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal 1 [r hsetnx h a 1]
        assert_encoding $enc h
        assert_equal 0 [r hsetnx h a 2]
        assert_equal 1 [r hget h a]
        assert_equal 1 [r hsetnx h b 2]
        assert_equal {1 2} [r hmget h a b]
        assert_equal 2 [r hlen h]
    }

    test "HGET of missing fields and keys - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1
        assert_equal {} [r hget h b]
        assert_equal {} [r hget nokey a]
        r readraw 1
        assert_equal {$-1} [r hget h b]
        assert_equal {$-1} [r hget nokey a]
        r readraw 0
    }

    test "HMGET - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1 b 2
        assert_equal {1 {} 2 1} [r hmget h a x b a]
        assert_equal {{} {}} [r hmget nokey a b]
        r readraw 1
        assert_equal {*2} [r hmget nokey a b]
        assert_equal {$-1} [r read]
        assert_equal {$-1} [r read]
        r readraw 0
    }

    test "HDEL removes fields, counts them, and deletes the empty key - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1 b 2 c 3 d 4
        assert_equal 0 [r hdel h x]
        assert_equal 1 [r hdel h a]
        assert_equal 2 [r hdel h b c x]
        assert_equal 1 [r hlen h]
        assert_equal {{} {} {} 4} [r hmget h a b c d]
        assert_encoding $enc h
        assert_equal 1 [r hdel h d x]
        assert_equal 0 [r exists h]
        assert_equal 0 [r hdel nokey a]
    }

    test "HDEL with repeated fields counts each field once - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1 b 2
        assert_equal 1 [r hdel h a a a]
        assert_equal 1 [r hlen h]
        assert_equal 1 [r hdel h b b]
        assert_equal 0 [r exists h]
    }

    test "HLEN, HEXISTS, HSTRLEN - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1 b hello c [string repeat x 60] d -123
        assert_equal 4 [r hlen h]
        assert_equal 0 [r hlen nokey]
        assert_equal 1 [r hexists h a]
        assert_equal 0 [r hexists h z]
        assert_equal 0 [r hexists nokey a]
        assert_equal 1 [r hstrlen h a]
        assert_equal 5 [r hstrlen h b]
        assert_equal 60 [r hstrlen h c]
        assert_equal 4 [r hstrlen h d]
        assert_equal 0 [r hstrlen h z]
        assert_equal 0 [r hstrlen nokey a]
    }

    test "HKEYS, HVALS, HGETALL - $enc" {
        hash_use_encoding $enc
        r del h
        set expected {}
        for {set i 0} {$i < 50} {incr i} {
            r hset h f$i v$i
            lappend expected [list f$i v$i]
        }
        assert_encoding $enc h
        set expected [lsort -index 0 $expected]
        assert_equal [lsort [lmap p $expected {lindex $p 0}]] [lsort [r hkeys h]]
        assert_equal [lsort [lmap p $expected {lindex $p 1}]] [lsort [r hvals h]]
        assert_equal $expected [hash_sorted_pairs [r hgetall h]]
        # The three agree on the order of the fields.
        set all [r hgetall h]
        assert_equal [r hkeys h] [lmap {f v} $all {set f}]
        assert_equal [r hvals h] [lmap {f v} $all {set v}]
    }

    test "HKEYS, HVALS, HGETALL of a missing key - $enc" {
        r del nokey
        assert_equal {} [r hkeys nokey]
        assert_equal {} [r hvals nokey]
        assert_equal {} [r hgetall nokey]
        r readraw 1
        assert_equal {*0} [r hkeys nokey]
        assert_equal {*0} [r hvals nokey]
        assert_equal {*0} [r hgetall nokey]
        r readraw 0
    }

    test "HGETALL is a map under RESP3, HKEYS/HVALS arrays - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1 b 2
        r hello 3
        r readraw 1
        assert_equal {%2} [r hgetall h]
        for {set i 0} {$i < 4} {incr i} { r read; r read }
        assert_equal {%0} [r hgetall nokey]
        assert_equal {*2} [r hkeys h]
        r read; r read; r read; r read
        assert_equal {*0} [r hvals nokey]
        assert_equal {_} [r hget h nope]
        r readraw 0
        assert_equal {a 1 b 2} [lsort -stride 2 -index 0 [r hgetall h]]
        r hello 2
    }

    test "HINCRBY - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal 5 [r hincrby h n 5]
        assert_encoding $enc h
        assert_equal 3 [r hincrby h n -2]
        assert_equal 3 [r hincrby h n 0]
        assert_equal 3 [r hget h n]
        r hset h s 17179869184
        assert_equal 17179869185 [r hincrby h s 1]
        assert_equal -1 [r hincrby h m -1]
        assert_equal 3 [r hlen h]
    }

    test "HINCRBY against a non-integer value - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h s hello sp " 1" z 01 f 1.5 e ""
        foreach f {s sp z f e} {
            assert_error {ERR hash value is not an integer} {r hincrby h $f 1}
        }
        assert_equal " 1" [r hget h sp]
        assert_equal 01 [r hget h z]
    }

    test "HINCRBY with a non-integer increment - $enc" {
        hash_use_encoding $enc
        r del h
        assert_error {ERR value is not an integer or out of range} {r hincrby h f x}
        assert_error {ERR value is not an integer or out of range} {r hincrby h f 1.5}
        assert_error {ERR value is not an integer or out of range} {r hincrby h f 9223372036854775808}
        assert_equal 0 [r exists h]
    }

    test "HINCRBY overflow - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h max 9223372036854775807 min -9223372036854775808 one 1
        assert_error {ERR increment or decrement would overflow} {r hincrby h max 1}
        assert_error {ERR increment or decrement would overflow} {r hincrby h min -1}
        assert_error {ERR increment or decrement would overflow} {r hincrby h one 9223372036854775807}
        assert_equal 9223372036854775807 [r hget h max]
        assert_equal -1 [r hincrby h max -9223372036854775808]
        assert_equal -1 [r hincrby h min 9223372036854775807]
        assert_equal 1 [r hget h one]
    }

    test "HINCRBYFLOAT - $enc" {
        hash_use_encoding $enc
        r del h
        assert_equal 10.5 [r hincrbyfloat h f 10.5]
        assert_encoding $enc h
        assert_equal 10.75 [r hincrbyfloat h f 0.25]
        assert_equal 5010.75 [r hincrbyfloat h f 5.0e3]
        assert_equal 5000 [r hincrbyfloat h f -10.75]
        # Long double arithmetic shows in the text, as in Redis.
        assert_equal 10.1 [r hincrbyfloat h g 10.1]
        assert_equal 5010.10000000000000009 [r hincrbyfloat h g 5.0e3]
        r hset h i 3
        assert_equal 4.5 [r hincrbyfloat h i 1.5]
        r hset h big 17179869184
        assert_equal 17179869184.5 [r hincrbyfloat h big .5]
        assert_equal 1 [r hincrbyfloat h new 1]
        assert_equal 1 [r hget h new]
    }

    test "HINCRBYFLOAT errors - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h s hello sp " 1" e "" inf inf
        foreach f {s sp e} {
            assert_error {ERR hash value is not a float} {r hincrbyfloat h $f 1}
        }
        assert_error {ERR value is not a valid float} {r hincrbyfloat h f x}
        assert_error {ERR value is not a valid float} {r hincrbyfloat h f nan}
        assert_error {ERR value is not a valid float} {r hincrbyfloat h f 1e5000}
        assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h f inf}
        assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h f -inf}
        assert_error {ERR increment would produce NaN or Infinity} {r hincrbyfloat h inf 1}
        assert_equal 0 [r hexists h f]
        assert_equal inf [r hget h inf]
        r del nokey
        assert_error {ERR value is not a valid float} {r hincrbyfloat nokey f x}
        assert_equal 0 [r exists nokey]
    }

    test "HRANDFIELD without a count - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1 b 2 c 3
        for {set i 0} {$i < 20} {incr i} {
            assert_match {[abc]} [r hrandfield h]
        }
        assert_equal {} [r hrandfield nokey]
        r readraw 1
        assert_equal {$-1} [r hrandfield nokey]
        r readraw 0
        r del h
        r hset h only 1
        assert_equal only [r hrandfield h]
    }

    test "HRANDFIELD with a count of zero or against a missing key - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1
        assert_equal {} [r hrandfield h 0]
        assert_equal {} [r hrandfield h 0 withvalues]
        assert_equal {} [r hrandfield nokey 5]
        assert_equal {} [r hrandfield nokey -5 withvalues]
        r readraw 1
        assert_equal {*0} [r hrandfield h 0]
        assert_equal {*0} [r hrandfield nokey 3]
        r readraw 0
    }

    test "HRANDFIELD argument errors - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1
        assert_error {ERR value is not an integer or out of range} {r hrandfield h x}
        assert_error {ERR value is not an integer or out of range} {r hrandfield h 1.5}
        assert_error {ERR value is not an integer or out of range} {r hrandfield h 9223372036854775808}
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} {r hrandfield h -9223372036854775808}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalue}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalues x}
        assert_error {ERR value is out of range} {r hrandfield h 4611686018427387904 withvalues}
        assert_error {ERR value is out of range} {r hrandfield h -4611686018427387904 withvalues}
        # Errors come before the key lookup.
        assert_error {ERR syntax error} {r hrandfield nokey 1 x}
        assert_error {ERR value is not an integer or out of range} {r hrandfield nokey x}
        assert_equal {a 1} [r hrandfield h 4611686018427387903 withvalues]
        assert_equal {a 1} [r hrandfield h 1 WITHVALUES]
    }

    test "HRANDFIELD with a negative count repeats fields - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1 b 2 c 3
        set res [r hrandfield h -100]
        assert_equal 100 [llength $res]
        foreach f $res { assert_match {[abc]} $f }
        assert_equal {a b c} [lsort -unique $res]
        set res [r hrandfield h -50 withvalues]
        assert_equal 100 [llength $res]
        foreach {f v} $res { assert_equal [r hget h $f] $v }
        assert_equal 1 [llength [r hrandfield h -1]]
    }

    test "HRANDFIELD with a count at least the size returns every field once - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 30} {incr i} { r hset h f$i v$i }
        assert_encoding $enc h
        foreach count {30 31 1000} {
            set res [r hrandfield h $count]
            assert_equal [lsort [r hkeys h]] [lsort $res]
            set res [r hrandfield h $count withvalues]
            assert_equal [hash_sorted_pairs [r hgetall h]] [hash_sorted_pairs $res]
        }
    }

    test "HRANDFIELD with a positive count below the size returns distinct fields - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 100} {incr i} { r hset h f$i v$i }
        assert_encoding $enc h
        # 90 takes the "most of the hash" path, 10 and 1 the "few of it" one.
        foreach count {99 90 40 33 10 2 1} {
            for {set iter 0} {$iter < 5} {incr iter} {
                set res [r hrandfield h $count]
                assert_equal $count [llength $res]
                assert_equal $count [llength [lsort -unique $res]]
                foreach f $res { assert_equal 1 [r hexists h $f] }
                set res [r hrandfield h $count withvalues]
                assert_equal [expr {$count * 2}] [llength $res]
                set fields {}
                foreach {f v} $res {
                    assert_equal [r hget h $f] $v
                    lappend fields $f
                }
                assert_equal $count [llength [lsort -unique $fields]]
            }
        }
    }

    test "HRANDFIELD WITHVALUES replies pairs under RESP3 - $enc" {
        hash_use_encoding $enc
        r del h
        r hset h a 1 b 2 c 3
        r hello 3
        foreach count {2 -5 3 10 1 -1} {
            set res [r hrandfield h $count withvalues]
            assert_equal [expr {abs($count) < 3 || $count < 0 ? abs($count) : 3}] [llength $res]
            foreach pair $res {
                assert_equal 2 [llength $pair]
                assert_equal [r hget h [lindex $pair 0]] [lindex $pair 1]
            }
        }
        # Without WITHVALUES it stays a flat array.
        set res [r hrandfield h 2]
        assert_equal 2 [llength $res]
        foreach f $res { assert_match {[abc]} $f }
        r readraw 1
        assert_equal {*1} [r hrandfield h -1 withvalues]
        assert_equal {*2} [r read]
        r read; r read; r read; r read
        r readraw 0
        r hello 2
    }

    test "HRANDFIELD distribution is close to uniform - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 50} {incr i} { r hset h f$i v$i }
        # Chi-square with 49 degrees of freedom: about 49 +- 10 for a fair draw.
    # Redis's hashtable pick is not perfectly fair (up to ~200 here), so the
    # bound only catches a broken generator; the ringkv-only test below
    # holds ringkv to a fair draw.
    # Repetitions allowed: 20 draws per field on average.
        set res [r hrandfield h -1000]
        assert_equal 50 [llength [lsort -unique $res]]
        assert_lessthan [hash_chi_square $res] 300
        # Single draws.
        set res {}
        for {set i 0} {$i < 1000} {incr i} { lappend res [r hrandfield h] }
        assert_lessthan [hash_chi_square $res] 300
        # Distinct samples, both the small and the large share paths.
        foreach count {5 40} {
            set res {}
            for {set i 0} {$i < [expr {2000 / $count}]} {incr i} {
                lappend res {*}[r hrandfield h $count]
            }
            assert_lessthan [hash_chi_square $res] 300
        }
    }

    test "HSCAN returns everything - $enc" {
        hash_use_encoding $enc
        r del h
        set n [expr {$enc eq "listpack" ? 100 : 1000}]
        set expected {}
        for {set i 0} {$i < $n} {incr i} {
            r hset h f$i v$i
            lappend expected [list f$i v$i]
        }
        assert_encoding $enc h
        set cursor 0
        set got {}
        set calls 0
        while 1 {
            lassign [r hscan h $cursor] cursor items
            incr calls
            foreach {f v} $items { dict set got $f $v }
            if {$cursor == 0} break
        }
        assert_equal [lsort -index 0 $expected] [hash_sorted_pairs $got]
        if {$enc eq "listpack"} {
            # Small hashes come back whole, whatever the cursor and COUNT.
            assert_equal 1 $calls
            lassign [r hscan h 12345 count 1] cursor items
            assert_equal 0 $cursor
            assert_equal [expr {$n * 2}] [llength $items]
        } else {
            assert_morethan $calls 1
        }
    }

    test "HSCAN with MATCH and COUNT - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 200} {incr i} { r hset h key:$i $i other:$i $i }
        set cursor 0
        set got {}
        while 1 {
            lassign [r hscan h $cursor match key:* count 20] cursor items
            foreach {f v} $items {
                assert_match key:* $f
                assert_equal $v [string range $f 4 end]
                dict set got $f $v
            }
            if {$cursor == 0} break
        }
        assert_equal 200 [dict size $got]
        lassign [r hscan h 0 match nothing*] cursor items
        assert_equal {} $items
        # MATCH applies to fields, not values.
        r del h2
        r hset h2 a zzz b yyy
        lassign [r hscan h2 0 match zzz] cursor items
        assert_equal {} $items
        lassign [r hscan h2 0 match a] cursor items
        assert_equal {a zzz} $items
    }

    test "HSCAN COUNT bounds the work of one call - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 1000} {incr i} { r hset h f$i v$i }
        if {$enc eq "hashtable"} {
            lassign [r hscan h 0 count 10] cursor items
            assert_lessthan [llength $items] 200
            assert_morethan [llength $items] 0
            assert_not_equal 0 $cursor
            lassign [r hscan h 0 count 5000] cursor items
            assert_equal 0 $cursor
            assert_equal 2000 [llength $items]
        } else {
            # 1000 fields are beyond 128: this one is a hashtable too.
            assert_encoding hashtable h
        }
    }

    test "HSCAN errors and a missing key - $enc" {
        hash_use_encoding $enc
        r del h nokey
        r hset h a 1
        assert_error {ERR invalid cursor} {r hscan h x}
        assert_error {ERR invalid cursor} {r hscan h 1x}
        assert_error {ERR invalid cursor} {r hscan nokey x}
        assert_error {ERR syntax error} {r hscan h 0 count 0}
        assert_error {ERR syntax error} {r hscan h 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r hscan h 0 count x}
        assert_error {ERR syntax error} {r hscan h 0 match}
        assert_error {ERR syntax error} {r hscan h 0 type string}
        assert_error {ERR syntax error} {r hscan h 0 novalues}
        assert_equal {0 {}} [r hscan nokey 0]
        # Options are only looked at when the key exists.
        assert_equal {0 {}} [r hscan nokey 0 count 0]
        assert_equal {0 {a 1}} [r hscan h 0 MATCH * COUNT 100]
    }

    test "HSCAN returns fields present for the whole scan despite changes - $enc" {
        hash_use_encoding $enc
        r del h
        for {set i 0} {$i < 500} {incr i} { r hset h keep:$i 1 }
        set cursor 0
        set got {}
        set j 0
        while 1 {
            lassign [r hscan h $cursor count 10] cursor items
            foreach {f v} $items { dict set got $f 1 }
            # Grow and shrink the hash between calls (rehashing both ways).
            for {set k 0} {$k < 20} {incr k} { r hset h tmp:[incr j] 1 }
            if {$j % 200 == 0} {
                for {set k 1} {$k <= $j} {incr k} { r hdel h tmp:$k }
            }
            if {$cursor == 0} break
        }
        for {set i 0} {$i < 500} {incr i} {
            assert {[dict exists $got keep:$i]}
        }
    }

    test "WRONGTYPE errors - $enc" {
        r del s
        r set s x
        foreach cmd {
            {hset s a 1} {hmset s a 1} {hsetnx s a 1} {hget s a} {hmget s a}
            {hdel s a} {hlen s} {hstrlen s a} {hexists s a} {hkeys s} {hvals s}
            {hgetall s} {hincrby s a 1} {hincrbyfloat s a 1} {hrandfield s}
            {hrandfield s 1} {hrandfield s -1 withvalues} {hscan s 0}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal x [r get s]
        r hset h a 1
        assert_error {WRONGTYPE*} {r get h}
        assert_error {WRONGTYPE*} {r incr h}
    }

    test "Writes count as changes (dirty) - $enc" {
        hash_use_encoding $enc
        r del h
        set before [status r rdb_changes_since_last_save]
        r hset h a 1 b 2 c 3
        assert_equal [expr {$before + 3}] [status r rdb_changes_since_last_save]
        r hset h a 1
        r hmset h a 1 b 2
        r hsetnx h a 1
        r hsetnx h z 1
        r hincrby h n 1
        r hincrbyfloat h n 1
        assert_equal [expr {$before + 9}] [status r rdb_changes_since_last_save]
        r hdel h a b nope
        assert_equal [expr {$before + 11}] [status r rdb_changes_since_last_save]
        r hdel h nope
        r hget h a
        assert_error {*not an integer*} {r hincrby h z x}
        assert_equal [expr {$before + 11}] [status r rdb_changes_since_last_save]
    }

    test "DEBUG DIGEST-VALUE does not depend on field order - $enc" {
        hash_use_encoding $enc
        r del h1 h2
        r hset h1 a 1 b 2 c 3
        r hset h2 c 3 a 1 b 2
        assert_equal [r debug digest-value h1] [r debug digest-value h2]
        r hset h2 c 4
        assert_not_equal [r debug digest-value h1] [r debug digest-value h2]
        r hset h2 c 3 d ""
        assert_not_equal [r debug digest-value h1] [r debug digest-value h2]
    }

    test "COPY makes an independent hash of the same encoding - $enc" {
        hash_use_encoding $enc
        r del h h2
        for {set i 0} {$i < 20} {incr i} { r hset h f$i v$i }
        set digest [r debug digest-value h]
        assert_equal 1 [r copy h h2]
        assert_encoding $enc h2
        assert_equal $digest [r debug digest-value h2]
        r hset h2 f0 changed
        r hdel h2 f1
        assert_equal v0 [r hget h f0]
        assert_equal v1 [r hget h f1]
        assert_equal 20 [r hlen h]
        assert_equal 19 [r hlen h2]
        r del h
        assert_equal changed [r hget h2 f0]
    }

    test "RENAME and MOVE keep hashes intact - $enc" {
        hash_use_encoding $enc
        r del h h3
        r hset h a 1 b 2
        r rename h h3
        assert_equal {1 2} [r hmget h3 a b]
        assert_encoding $enc h3
        r select 10
        r del h3
        r select 0
        assert_equal 1 [r move h3 10]
        r select 10
        assert_equal {1 2} [r hmget h3 a b]
        r del h3
        r select 0
    }
}

test {HRANDFIELD draws from a hashtable are uniform} {
    # Every path that draws at random from a hashtable, 5000 draws each:
    # chi-square (49 degrees of freedom) stays near 49 +- 10 when fair, while
    # a pick that favours fields alone in their bucket lands near 150+.
    r config set hash-max-listpack-entries 0
    r del h
    for {set i 0} {$i < 50} {incr i} { r hset h f$i v$i }
    assert_encoding hashtable h
    assert_lessthan [hash_chi_square [r hrandfield h -5000]] 110
    set res {}
    for {set i 0} {$i < 1000} {incr i} { lappend res {*}[r hrandfield h 5] }
    assert_lessthan [hash_chi_square $res] 110
    set res {}
    for {set i 0} {$i < 2000} {incr i} { lappend res [r hrandfield h] }
    assert_lessthan [hash_chi_square $res] 110
    # Sparse and mid-resize tables too: grow big, then delete most fields.
    for {set i 50} {$i < 5000} {incr i} { r hset h f$i v$i }
    for {set i 50} {$i < 5000} {incr i} { r hdel h f$i }
    assert_equal 50 [r hlen h]
    assert_lessthan [hash_chi_square [r hrandfield h -5000]] 110
    r config set hash-max-listpack-entries 128
} {ringkv-only}

test {DEBUG DIGEST-VALUE is the same in both encodings} {
    r config set hash-max-listpack-entries 128
    r del h1 h2
    r hset h1 a 1 b 2 c hello 10 -20
    r config set hash-max-listpack-entries 0
    r hset h2 a 1 b 2 c hello 10 -20
    assert_encoding listpack h1
    assert_encoding hashtable h2
    assert_equal [r debug digest-value h1] [r debug digest-value h2]
    r config set hash-max-listpack-entries 128
}

test {Conversion when the field count passes hash-max-listpack-entries} {
    r config set hash-max-listpack-entries 8
    r config set hash-max-listpack-value 64
    r del h
    for {set i 0} {$i < 8} {incr i} { r hset h f$i v$i }
    assert_encoding listpack h
    # Rewriting an existing field does not grow the count.
    r hset h f0 x
    assert_encoding listpack h
    r hset h f8 v8
    assert_encoding hashtable h
    assert_equal 9 [r hlen h]
    assert_equal x [r hget h f0]
    assert_equal v8 [r hget h f8]

    # One HSET adding past the limit converts as well.
    r del h
    r hset h a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8
    assert_encoding listpack h
    r del h
    r hset h a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8 i 9
    assert_encoding hashtable h

    # HSETNX, HINCRBY and HINCRBYFLOAT adding a ninth field.
    foreach cmd {{hsetnx h z 1} {hincrby h z 1} {hincrbyfloat h z 1}} {
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5 f 6 g 7 h 8
        r {*}$cmd
        assert_encoding hashtable h
    }
    r config set hash-max-listpack-entries 128
}

test {Conversion when a field or value passes hash-max-listpack-value} {
    r config set hash-max-listpack-entries 128
    r config set hash-max-listpack-value 16
    set ok [string repeat a 16]
    set long [string repeat a 17]
    r del h
    r hset h $ok $ok
    assert_encoding listpack h
    r hset h x $long
    assert_encoding hashtable h
    assert_equal $long [r hget h x]
    r del h
    r hset h $long 1
    assert_encoding hashtable h
    r del h
    r hset h a 1
    r hsetnx h b $long
    assert_encoding hashtable h
    # HSETNX on an existing field writes nothing, so converts nothing.
    r del h
    r hset h a 1
    r hsetnx h a $long
    assert_encoding listpack h
    # A long argument anywhere in HSET converts before anything is written.
    r del h
    r hset h a 1 b 2 c $long
    assert_encoding hashtable h
    assert_equal {1 2} [r hmget h a b]
    # HINCRBY / HINCRBYFLOAT results longer than the limit.
    r config set hash-max-listpack-value 5
    r del h
    r hset h i 1 f 1
    r hincrby h i 1234
    assert_encoding listpack h
    r hincrby h i 98765
    assert_encoding hashtable h
    assert_equal 100000 [r hget h i]
    r del h
    r hset h f 1
    r hincrbyfloat h f 0.0625
    assert_encoding hashtable h
    assert_equal 1.0625 [r hget h f]
    # Integers are measured by their text, not their listpack size.
    r del h
    r hset h 12345 1
    assert_encoding listpack h
    r hset h 123456 1
    assert_encoding hashtable h
    r config set hash-max-listpack-value 64
}

test {Conversion is one-way} {
    r config set hash-max-listpack-entries 4
    r del h
    r hset h a 1 b 2 c 3 d 4 e 5
    assert_encoding hashtable h
    r hdel h a b c d
    assert_encoding hashtable h
    r config set hash-max-listpack-entries 128
    r hset h x 1
    assert_encoding hashtable h
    # New thresholds apply to new conversions only.
    r del h2
    r hset h2 a 1 b 2 c 3 d 4 e 5
    assert_encoding listpack h2
}

test {hash-max-listpack-entries 0 makes every new hash a hashtable} {
    r config set hash-max-listpack-entries 0
    r del h
    r hsetnx h a 1
    assert_encoding hashtable h
    r del h
    r hincrby h a 1
    assert_encoding hashtable h
    r config set hash-max-listpack-entries 128
}

test {hash-max-listpack-value 0 keeps only empty strings in the listpack} {
    r config set hash-max-listpack-value 0
    r del h
    r hset h "" ""
    assert_encoding listpack h
    r hset h a ""
    assert_encoding hashtable h
    r config set hash-max-listpack-value 64
}

test {Random operations agree between the two encodings} {
    r del small big
    r config set hash-max-listpack-entries 1000000
    r config set hash-max-listpack-value 1000000
    r hset small _ _
    r config set hash-max-listpack-entries 0
    r hset big _ _
    r config set hash-max-listpack-entries 1000000
    assert_encoding listpack small
    assert_encoding hashtable big
    for {set i 0} {$i < 2000} {incr i} {
        set f [randomInt 100]
        set v [randomValue]
        switch [randomInt 5] {
            0 { assert_equal [r hset small $f $v] [r hset big $f $v] }
            1 { assert_equal [r hdel small $f] [r hdel big $f] }
            2 {
                set n [randomSignedInt 100]
                set a [catch {r hincrby small $f $n} ra]
                set b [catch {r hincrby big $f $n} rb]
                assert_equal [list $a $ra] [list $b $rb]
            }
            3 { assert_equal [r hsetnx small $f $v] [r hsetnx big $f $v] }
            4 { assert_equal [r hstrlen small $f] [r hstrlen big $f] }
        }
    }
    assert_equal [hash_sorted_pairs [r hgetall small]] [hash_sorted_pairs [r hgetall big]]
    assert_equal [r debug digest-value small] [r debug digest-value big]
    assert_encoding listpack small
    r config set hash-max-listpack-entries 128
    r config set hash-max-listpack-value 64
}

test {Big hash: 100k fields} {
    r config set hash-max-listpack-entries 128
    r del big
    # Commands are kept under 4 KB: bigger writes from the Tcl client stall
    # on Nagle's algorithm for 40 ms each.
    for {set i 0} {$i < 1000} {incr i} {
        set args {}
        for {set j 0} {$j < 100} {incr j} {
            set n [expr {$i * 100 + $j}]
            lappend args field:$n value:$n
        }
        assert_equal 100 [r hset big {*}$args]
    }
    assert_encoding hashtable big
    assert_equal 100000 [r hlen big]
    assert_equal value:12345 [r hget big field:12345]
    assert_equal value:99999 [r hget big field:99999]
    assert_equal 100000 [llength [r hkeys big]]
    assert_equal 200000 [llength [r hgetall big]]
    # A full HSCAN sees every field.
    set cursor 0
    set seen {}
    while 1 {
        lassign [r hscan big $cursor count 1000] cursor items
        foreach {f v} $items { dict set seen $f 1 }
        if {$cursor == 0} break
    }
    assert_equal 100000 [dict size $seen]
    assert_equal 10 [llength [lsort -unique [r hrandfield big 10]]]
    assert_equal 60000 [llength [lsort -unique [r hrandfield big 60000]]]
    # Deleting most of it (the table shrinks) keeps the rest reachable.
    for {set i 0} {$i < 495} {incr i} {
        set args {}
        for {set j 0} {$j < 200} {incr j} { lappend args field:[expr {$i * 200 + $j}] }
        assert_equal 200 [r hdel big {*}$args]
    }
    assert_equal 1000 [r hlen big]
    assert_equal value:99500 [r hget big field:99500]
    assert_equal {} [r hget big field:500]
    assert_equal 1 [r unlink big]
    assert_equal 0 [r exists big]
}

test {UNLINK and FLUSHALL ASYNC of big hashes} {
    r config set hash-max-listpack-entries 128
    for {set k 0} {$k < 3} {incr k} {
        for {set i 0} {$i < 50} {incr i} {
            set args {}
            for {set j 0} {$j < 100} {incr j} { lappend args f$i.$j v$j }
            r hset big$k {*}$args
        }
    }
    assert_equal 5000 [r hlen big2]
    assert_equal 1 [r unlink big0]
    assert_equal 0 [r exists big0]
    r flushall async
    assert_equal 0 [r dbsize]
    r select 0
}

test {OBJECT ENCODING, TYPE and SCAN TYPE see hashes} {
    r config set hash-max-listpack-entries 128
    r flushdb
    r hset h a 1
    r set s x
    assert_equal hash [r type h]
    assert_equal listpack [r object encoding h]
    assert_equal {0 h} [r scan 0 type hash]
}

test {Keyspace events of the hash commands} {
    r config set notify-keyspace-events KEA
    r flushdb
    set rd [redis_deferring_client]
    $rd psubscribe __keyevent@0__:*
    $rd read
    r hset h a 1
    r hmset h b 2
    r hsetnx h c 3
    r hsetnx h c 4
    r hincrby h n 1
    r hincrbyfloat h n 1.5
    r hdel h nope
    r hdel h a
    r hdel h b c n
    set events {}
    for {set i 0} {$i < 8} {incr i} {
        lappend events [lindex [$rd read] 2]
    }
    assert_equal {__keyevent@0__:hset __keyevent@0__:hset __keyevent@0__:hset __keyevent@0__:hincrby __keyevent@0__:hincrbyfloat __keyevent@0__:hdel __keyevent@0__:hdel __keyevent@0__:del} $events
    $rd close
    r config set notify-keyspace-events ""
} {needs:pubsub}

}
