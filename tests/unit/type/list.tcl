# list.tcl: the non-blocking list commands and the quicklist encoding.
#
# Covers LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP (with COUNT) LLEN LRANGE LINDEX
# LSET LINSERT LREM LTRIM LPOS (RANK COUNT MAXLEN) LMOVE RPOPLPUSH LMPOP:
# replies (raw protocol where null, empty array and the RESP3 forms must be
# told apart), error texts and the order in which arguments are checked,
# WRONGTYPE, deletion of a list that becomes empty, COPY and keyspace
# events.  Blocking commands are in list-blocking.tcl.
#
# Redis 7.0 reports every list as "quicklist".  The tests run once per
# layout of that quicklist:
#   single      default list-max-listpack-size (-2, 8 KB nodes): small lists
#               live in one node;
#   multi       list-max-listpack-size 2: every few elements start a node, so
#               inserts, deletes and ranges cross node boundaries;
#   compressed  list-max-listpack-size 4 and list-compress-depth 1: inner
#               nodes are LZF-compressed (with values long enough for it).

proc list_use_variant {variant} {
    switch $variant {
        single {
            r config set list-max-listpack-size -2
            r config set list-compress-depth 0
        }
        multi {
            r config set list-max-listpack-size 2
            r config set list-compress-depth 0
        }
        compressed {
            r config set list-max-listpack-size 4
            r config set list-compress-depth 1
        }
    }
}

proc list_create {key elems} {
    r del $key
    if {[llength $elems]} { r rpush $key {*}$elems }
}

# A value of the variant's flavour: long and compressible for "compressed"
# (so its inner nodes really get compressed), the bare tag otherwise.
proc list_val {variant tag} {
    if {$variant eq "compressed"} { return "$tag-[string repeat abcd 10]" }
    return $tag
}

# Sends one command in raw mode and returns its first n reply lines,
# joined by spaces.
proc list_raw_lines {n args} {
    r readraw 1
    set lines [list [r {*}$args]]
    for {set i 1} {$i < $n} {incr i} { lappend lines [r read] }
    r readraw 0
    return [join $lines " "]
}

# Reads n keyevent notifications ("event key" pairs, arrival order).
proc list_read_events {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel payload
        regsub {^__keyevent@[0-9]+__:} $channel {} event
        lappend out [list $event $payload]
    }
    return $out
}

start_server {tags {list}} {
    foreach variant {single multi compressed} {
        set a [list_val $variant a]
        set b [list_val $variant b]
        set c [list_val $variant c]
        set d [list_val $variant d]

        test "LPUSH and RPUSH return the new length and keep the order ($variant)" {
            list_use_variant $variant
            r del l
            assert_equal 1 [r rpush l $b]
            assert_equal 3 [r rpush l $c $d]
            assert_equal 4 [r lpush l $a]
            assert_equal 6 [r lpush l y x]
            assert_equal [list x y $a $b $c $d] [r lrange l 0 -1]
            assert_equal 6 [r llen l]
            assert_equal list [r type l]
            assert_encoding quicklist l
        }

        test "LPUSHX and RPUSHX only push to an existing list ($variant)" {
            list_use_variant $variant
            r del l nolist
            assert_equal 0 [r lpushx nolist $a]
            assert_equal 0 [r rpushx nolist $a $b]
            assert_equal 0 [r exists nolist]
            r rpush l $b
            assert_equal 2 [r lpushx l $a]
            assert_equal 4 [r rpushx l $c $d]
            assert_equal [list $a $b $c $d] [r lrange l 0 -1]
            r set str x
            assert_error {WRONGTYPE*} {r lpushx str $a}
            assert_error {WRONGTYPE*} {r rpushx str $a}
        }

        test "Integers and numeric-looking strings round-trip as sent ($variant)" {
            list_use_variant $variant
            set vals [list 0 1 -1 127 128 -4096 4095 8191 -8192 32767 -32768 8388607 -8388608 \
                      2147483647 -2147483648 9223372036854775807 -9223372036854775808 \
                      9223372036854775808 007 +1 -0 1.5 1e3 " 1" "" 12345678901234567890]
            list_create l $vals
            assert_equal $vals [r lrange l 0 -1]
            for {set i 0} {$i < [llength $vals]} {incr i} {
                assert_equal [lindex $vals $i] [r lindex l $i]
            }
            assert_equal [lreverse $vals] [r rpop l [llength $vals]]
        }

        test "LINDEX with positive, negative and out-of-range indexes ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $d]
            assert_equal $a [r lindex l 0]
            assert_equal $c [r lindex l 2]
            assert_equal $d [r lindex l -1]
            assert_equal $a [r lindex l -4]
            assert_equal {} [r lindex l 4]
            assert_equal {} [r lindex l -5]
            assert_equal {$-1} [list_raw_lines 1 lindex l 100]
            assert_error {ERR value is not an integer or out of range} {r lindex l abc}
            assert_error {ERR value is not an integer or out of range} {r lindex l 1.0}
        }

        test "LRANGE clamps the range like Redis ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $d]
            assert_equal [list $b $c] [r lrange l 1 2]
            assert_equal [list $a $b $c $d] [r lrange l -100 100]
            assert_equal [list $c $d] [r lrange l -2 -1]
            assert_equal {} [r lrange l 3 1]
            assert_equal {} [r lrange l 4 10]
            assert_equal {} [r lrange l -100 -5]
            assert_equal [list $a] [r lrange l -100 0]
            assert_equal {*0} [list_raw_lines 1 lrange l 5 6]
            assert_equal {*0} [list_raw_lines 1 lrange nolist 0 -1]
        }

        test "LPOP and RPOP of one element, and deletion of the emptied list ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c]
            assert_equal $a [r lpop l]
            assert_equal $c [r rpop l]
            assert_equal $b [r lpop l]
            assert_equal 0 [r exists l]
            assert_equal {$-1} [list_raw_lines 1 lpop l]
            assert_equal {$-1} [list_raw_lines 1 rpop l]
        }

        test "LPOP and RPOP with COUNT ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $d]
            assert_equal [list $a $b] [r lpop l 2]
            assert_equal [list $d] [r rpop l 1]
            assert_equal [list $c] [r rpop l 10]
            assert_equal 0 [r exists l]
            list_create l [list $a $b $c $d]
            assert_equal [list $d $c $b $a] [r rpop l 100]
            assert_equal 0 [r exists l]
            list_create l [list $a $b]
            assert_equal {*0} [list_raw_lines 1 lpop l 0]
            assert_equal 2 [r llen l]
            assert_equal {*-1} [list_raw_lines 1 lpop nolist 0]
            assert_equal {*-1} [list_raw_lines 1 rpop nolist 3]
        }

        test "LSET at the ends, in the middle and with values of any size ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $d]
            assert_equal OK [r lset l 0 x]
            assert_equal OK [r lset l -1 y]
            assert_equal OK [r lset l 1 [string repeat z 300]]
            assert_equal OK [r lset l 2 12345]
            assert_equal [list x [string repeat z 300] 12345 y] [r lrange l 0 -1]
            assert_equal OK [r lset l 1 short]
            assert_equal [list x short 12345 y] [r lrange l 0 -1]
            assert_error {ERR index out of range} {r lset l 4 v}
            assert_error {ERR index out of range} {r lset l -5 v}
            assert_error {ERR no such key} {r lset nolist 0 v}
            assert_error {ERR no such key} {r lset nolist abc v}
            assert_error {ERR value is not an integer or out of range} {r lset l abc v}
        }

        test "LINSERT before and after the first, middle and last pivot ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c]
            assert_equal 4 [r linsert l before $a x0]
            assert_equal 5 [r linsert l after $c x9]
            assert_equal 6 [r linsert l AFTER $b x5]
            assert_equal 7 [r linsert l Before $b x4]
            assert_equal [list x0 $a x4 $b x5 $c x9] [r lrange l 0 -1]
            # Only the first occurrence is the pivot.
            list_create l [list $a $b $a]
            assert_equal 4 [r linsert l after $a m]
            assert_equal [list $a m $b $a] [r lrange l 0 -1]
            assert_equal -1 [r linsert l before nosuch x]
            assert_equal 0 [r linsert nolist before $a x]
            assert_equal 0 [r exists nolist]
            assert_error {ERR syntax error} {r linsert l middle $a x}
            assert_error {ERR syntax error} {r linsert nolist middle $a x}
        }

        test "LINSERT into full nodes keeps every element in place ($variant)" {
            list_use_variant $variant
            set model {}
            r del l
            for {set i 0} {$i < 20} {incr i} {
                r rpush l [list_val $variant e$i]
                lappend model [list_val $variant e$i]
            }
            # Insert around each original element, from the middle outwards.
            foreach i {10 5 15 0 19 3 17} {
                set pivot [list_val $variant e$i]
                r linsert l before $pivot "b$i"
                r linsert l after $pivot "a$i"
                set pos [lsearch -exact $model $pivot]
                set model [linsert $model $pos "b$i"]
                set model [linsert $model [expr {$pos + 2}] "a$i"]
            }
            assert_equal $model [r lrange l 0 -1]
            assert_equal [llength $model] [r llen l]
        }

        test "LREM with positive, negative and zero counts ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $a $c $a $b $a]
            assert_equal 2 [r lrem l 2 $a]
            assert_equal [list $b $c $a $b $a] [r lrange l 0 -1]
            assert_equal 1 [r lrem l -1 $a]
            assert_equal [list $b $c $a $b] [r lrange l 0 -1]
            assert_equal 2 [r lrem l 0 $b]
            assert_equal [list $c $a] [r lrange l 0 -1]
            assert_equal 0 [r lrem l 0 nosuch]
            assert_equal 1 [r lrem l 5 $c]
            assert_equal 1 [r lrem l 0 $a]
            assert_equal 0 [r exists l]
            assert_equal 0 [r lrem nolist 0 $a]
            list_create l [list $a $b $a]
            # The most negative count removes every match (from the tail).
            assert_equal 2 [r lrem l -9223372036854775808 $a]
            assert_equal [list $b] [r lrange l 0 -1]
            assert_error {ERR value is not an integer or out of range} {r lrem l x $a}
            assert_error {ERR value is not an integer or out of range} {r lrem nolist x $a}
        }

        test "LREM matches integers by their text ($variant)" {
            list_use_variant $variant
            list_create l {1 01 1 +1 10 1}
            assert_equal 3 [r lrem l 0 1]
            assert_equal {01 +1 10} [r lrange l 0 -1]
            assert_equal 1 [r lrem l 0 01]
            assert_equal {+1 10} [r lrange l 0 -1]
        }

        test "LTRIM keeps the range and deletes an emptied list ($variant)" {
            list_use_variant $variant
            set elems {}
            for {set i 0} {$i < 10} {incr i} { lappend elems [list_val $variant $i] }
            list_create l $elems
            assert_equal OK [r ltrim l 2 -3]
            assert_equal [lrange $elems 2 7] [r lrange l 0 -1]
            assert_equal OK [r ltrim l -100 100]
            assert_equal [lrange $elems 2 7] [r lrange l 0 -1]
            assert_equal OK [r ltrim l 1 1]
            assert_equal [list [lindex $elems 3]] [r lrange l 0 -1]
            list_create l $elems
            assert_equal OK [r ltrim l 5 2]
            assert_equal 0 [r exists l]
            list_create l $elems
            assert_equal OK [r ltrim l 10 20]
            assert_equal 0 [r exists l]
            assert_equal OK [r ltrim nolist 0 1]
            assert_error {ERR value is not an integer or out of range} {r ltrim nolist a 1}
            assert_error {ERR value is not an integer or out of range} {r ltrim l 0 b}
        }

        test "LPOS with RANK, COUNT and MAXLEN ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $a $b $c $a]
            assert_equal 0 [r lpos l $a]
            assert_equal 2 [r lpos l $c]
            assert_equal 3 [r lpos l $a rank 2]
            assert_equal 6 [r lpos l $a rank -1]
            assert_equal 3 [r lpos l $a rank -2]
            assert_equal {} [r lpos l $a rank 4]
            assert_equal {0 3 6} [r lpos l $a count 0]
            assert_equal {0 3} [r lpos l $a count 2]
            assert_equal {3 6} [r lpos l $a count 0 rank 2]
            assert_equal {6 3} [r lpos l $a count 2 rank -1]
            assert_equal {0 3} [r lpos l $a count 0 maxlen 4]
            assert_equal {6} [r lpos l $a count 0 maxlen 1 rank -1]
            assert_equal {} [r lpos l $b maxlen 1]
            assert_equal {} [r lpos l nosuch]
            assert_equal {$-1} [list_raw_lines 1 lpos l nosuch]
            assert_equal {*0} [list_raw_lines 1 lpos l nosuch count 1]
            assert_equal {$-1} [list_raw_lines 1 lpos nolist $a]
            assert_equal {*0} [list_raw_lines 1 lpos nolist $a count 0]
        }

        test "LPOS with the most negative RANK matches from the tail without limit ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c $a]
            assert_equal 3 [r lpos l $a rank -9223372036854775808]
            assert_equal {3 0} [r lpos l $a rank -9223372036854775808 count 1]
            assert_equal {} [r lpos l $a rank -9223372036854775807]
        }

        test "LPOS argument errors ($variant)" {
            list_use_variant $variant
            list_create l [list $a]
            assert_error {ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list} {r lpos l $a rank 0}
            assert_error {ERR COUNT can't be negative} {r lpos l $a count -1}
            assert_error {ERR COUNT can't be negative} {r lpos l $a count abc}
            assert_error {ERR MAXLEN can't be negative} {r lpos l $a maxlen -1}
            assert_error {ERR value is not an integer or out of range} {r lpos l $a rank x}
            assert_error {ERR syntax error} {r lpos l $a foo}
            assert_error {ERR syntax error} {r lpos l $a rank}
            # Options are checked before the key.
            assert_error {ERR syntax error} {r lpos nolist $a count}
            r set str x
            assert_error {WRONGTYPE*} {r lpos str $a}
        }

        test "LMOVE in the four directions and RPOPLPUSH ($variant)" {
            list_use_variant $variant
            list_create src [list $a $b $c $d]
            r del dst other
            assert_equal $a [r lmove src dst left left]
            assert_equal $d [r lmove src dst right right]
            assert_equal $b [r lmove src dst left right]
            assert_equal $c [r lmove src dst RIGHT LEFT]
            assert_equal 0 [r exists src]
            assert_equal [list $c $a $d $b] [r lrange dst 0 -1]
            assert_equal $b [r rpoplpush dst dst]
            assert_equal [list $b $c $a $d] [r lrange dst 0 -1]
            assert_equal $d [r rpoplpush dst other]
            assert_equal [list $d] [r lrange other 0 -1]
        }

        test "LMOVE rotates a list onto itself ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b $c]
            assert_equal $a [r lmove l l left right]
            assert_equal [list $b $c $a] [r lrange l 0 -1]
            assert_equal $a [r lmove l l right left]
            assert_equal [list $a $b $c] [r lrange l 0 -1]
            list_create one [list $a]
            assert_equal $a [r lmove one one left left]
            assert_equal [list $a] [r lrange one 0 -1]
        }

        test "LMOVE errors leave both keys unchanged ($variant)" {
            list_use_variant $variant
            list_create l [list $a $b]
            r set str x
            assert_error {WRONGTYPE*} {r lmove l str left left}
            assert_error {WRONGTYPE*} {r rpoplpush l str}
            assert_error {WRONGTYPE*} {r lmove str l left left}
            assert_equal [list $a $b] [r lrange l 0 -1]
            assert_equal x [r get str]
            assert_equal {$-1} [list_raw_lines 1 lmove nolist l left left]
            assert_equal {$-1} [list_raw_lines 1 rpoplpush nolist l]
            assert_equal {$-1} [list_raw_lines 1 lmove nolist str left left]
            assert_error {ERR syntax error} {r lmove l l up left}
            assert_error {ERR syntax error} {r lmove l l left down}
            assert_equal 0 [r exists nolist]
        }

        test "LMPOP pops from the first non-empty list ($variant)" {
            list_use_variant $variant
            r del l1 l2 l3
            list_create l2 [list $a $b $c]
            list_create l3 [list $d]
            assert_equal [list l2 [list $a]] [r lmpop 3 l1 l2 l3 left]
            assert_equal [list l2 [list $c $b]] [r lmpop 3 l1 l2 l3 right count 5]
            assert_equal 0 [r exists l2]
            assert_equal [list l3 [list $d]] [r lmpop 2 l2 l3 LEFT COUNT 1]
            assert_equal {*-1} [list_raw_lines 1 lmpop 2 l1 l2 left]
            r set str x
            assert_error {WRONGTYPE*} {r lmpop 2 str l1 left}
            list_create l1 [list $a]
            # A list before a wrong-type key is served without error.
            assert_equal [list l1 [list $a]] [r lmpop 2 l1 str left]
        }

        test "LMPOP argument errors ($variant)" {
            list_use_variant $variant
            assert_error {ERR numkeys should be greater than 0} {r lmpop 0 l left}
            assert_error {ERR numkeys should be greater than 0} {r lmpop -1 l left}
            assert_error {ERR numkeys should be greater than 0} {r lmpop abc l left}
            assert_error {ERR syntax error} {r lmpop 2 l left}
            assert_error {ERR syntax error} {r lmpop 9223372036854775807 l left}
            assert_error {ERR syntax error} {r lmpop 1 l middle}
            assert_error {ERR count should be greater than 0} {r lmpop 1 l left count 0}
            assert_error {ERR count should be greater than 0} {r lmpop 1 l left count -2}
            assert_error {ERR count should be greater than 0} {r lmpop 1 l left count x}
            assert_error {ERR syntax error} {r lmpop 1 l left count 1 count 2}
            assert_error {ERR syntax error} {r lmpop 1 l left foo}
            assert_error {ERR syntax error} {r lmpop 1 l left count}
        }

        test "Elements bigger than a node are kept whole ($variant)" {
            list_use_variant $variant
            set big1 [string repeat x 70000]
            set big2 [string repeat y 9000]
            r del l
            r rpush l $a $big1 $b
            r lpush l $big2
            r linsert l after $a $big2
            assert_equal [list $big2 $a $big2 $big1 $b] [r lrange l 0 -1]
            assert_equal OK [r lset l 1 $big1]
            assert_equal $big1 [r lindex l 1]
            assert_equal $big2 [r lpop l]
            assert_equal $b [r rpop l]
            assert_equal 3 [r llen l]
        }

        test "A list of a thousand elements: ranges, indexes and pops ($variant)" {
            list_use_variant $variant
            r del l
            set model {}
            for {set i 0} {$i < 1000} {incr i} {
                set v [list_val $variant "$i-[string repeat q [expr {$i % 17}]]"]
                if {$i % 3 == 0} {
                    r lpush l $v
                    set model [linsert $model 0 $v]
                } else {
                    r rpush l $v
                    lappend model $v
                }
            }
            assert_equal 1000 [r llen l]
            assert_equal $model [r lrange l 0 -1]
            foreach i {0 1 333 500 777 998 999 -1 -500 -1000} {
                assert_equal [lindex $model [expr {$i < 0 ? 1000 + $i : $i}]] [r lindex l $i]
            }
            assert_equal [lrange $model 400 599] [r lrange l 400 599]
            assert_equal [lrange $model 0 99] [r lpop l 100]
            assert_equal [lreverse [lrange $model 900 999]] [r rpop l 100]
            assert_equal [lrange $model 100 899] [r lrange l 0 -1]
        }

        test "Random operations agree with a model list ($variant)" {
            list_use_variant $variant
            r del l
            set model {}
            for {set i 0} {$i < 1500} {incr i} {
                set v [list_val $variant [randomInt 30]]
                set len [llength $model]
                switch [randomInt 9] {
                    0 { r lpush l $v; set model [linsert $model 0 $v] }
                    1 { r rpush l $v; lappend model $v }
                    2 {
                        if {$len} {
                            assert_equal [lindex $model 0] [r lpop l]
                            set model [lrange $model 1 end]
                        }
                    }
                    3 {
                        if {$len} {
                            assert_equal [lindex $model end] [r rpop l]
                            set model [lrange $model 0 end-1]
                        }
                    }
                    4 {
                        if {$len} {
                            set idx [randomInt $len]
                            r lset l $idx $v
                            lset model $idx $v
                        }
                    }
                    5 {
                        if {$len} {
                            set pivot [lindex $model [randomInt $len]]
                            set pos [lsearch -exact $model $pivot]
                            if {[randomInt 2]} {
                                r linsert l after $pivot $v
                                set model [linsert $model [expr {$pos + 1}] $v]
                            } else {
                                r linsert l before $pivot $v
                                set model [linsert $model $pos $v]
                            }
                        }
                    }
                    6 {
                        set cnt [expr {[randomInt 5] - 2}]
                        set removed [r lrem l $cnt $v]
                        set idxs [lsearch -all -exact $model $v]
                        if {$cnt < 0} { set idxs [lreverse $idxs] }
                        if {$cnt != 0} { set idxs [lrange $idxs 0 [expr {abs($cnt) - 1}]] }
                        assert_equal [llength $idxs] $removed
                        foreach idx [lsort -integer -decreasing $idxs] {
                            set model [lreplace $model $idx $idx]
                        }
                    }
                    7 {
                        if {$len > 40 && [randomInt 4] == 0} {
                            set s [randomInt 10]
                            set e [expr {$len - 1 - [randomInt 10]}]
                            r ltrim l $s $e
                            set model [lrange $model $s $e]
                        }
                    }
                    8 {
                        if {$len} {
                            set idx [randomInt $len]
                            assert_equal [lindex $model $idx] [r lindex l $idx]
                        }
                    }
                }
                if {$i % 100 == 0} { assert_equal $model [r lrange l 0 -1] }
            }
            assert_equal $model [r lrange l 0 -1]
            assert_equal [llength $model] [r llen l]
        }

        test "COPY makes an independent list ($variant)" {
            list_use_variant $variant
            set elems {}
            for {set i 0} {$i < 50} {incr i} { lappend elems [list_val $variant $i] }
            list_create l $elems
            r del l2
            assert_equal 1 [r copy l l2]
            r rpush l2 extra
            r lpop l
            assert_equal $elems [concat [list [list_val $variant 0]] [r lrange l 0 -1]]
            assert_equal [concat $elems extra] [r lrange l2 0 -1]
            assert_encoding quicklist l2
        } {needs:debug}

        test "DEBUG DIGEST-VALUE depends on content and order ($variant)" {
            list_use_variant $variant
            list_create l1 [list $a $b 1 $c]
            list_create l2 [list $a $b 1 $c]
            list_create l3 [list $b $a 1 $c]
            assert_equal [r debug digest-value l1] [r debug digest-value l2]
            assert_not_equal [r debug digest-value l1] [r debug digest-value l3]
        } {needs:debug}
    }

    test {Arity errors come from the dispatcher} {
        assert_error {ERR wrong number of arguments for 'lpush' command} {r lpush l}
        assert_error {ERR wrong number of arguments for 'lpop' command} {r lpop l 1 2}
        assert_error {ERR wrong number of arguments for 'lrange' command} {r lrange l 0}
        assert_error {ERR wrong number of arguments for 'linsert' command} {r linsert l before a}
    }

    test {COUNT argument errors of LPOP and RPOP are checked before the key} {
        r del nolist
        assert_error {ERR value is out of range, must be positive} {r lpop nolist -1}
        assert_error {ERR value is out of range, must be positive} {r rpop nolist abc}
        assert_error {ERR value is out of range, must be positive} {r lpop nolist 9223372036854775808}
    }

    test {Commands on a wrong-type key reply WRONGTYPE} {
        r set str x
        foreach cmd {
            {lpush str a} {rpush str a} {llen str} {lrange str 0 -1} {lindex str 0}
            {lset str 0 a} {lpop str} {rpop str 1} {linsert str before a b}
            {lrem str 0 a} {ltrim str 0 1} {lpos str a} {lmove str x left left}
            {rpoplpush str x} {lmpop 1 str left}
        } {
            assert_error {WRONGTYPE*} [list r {*}$cmd]
        }
        assert_equal x [r get str]
    }

    test {RESP3 null replies of the list commands} {
        r hello 3
        r del nolist
        assert_equal {_} [list_raw_lines 1 lpop nolist]
        assert_equal {_} [list_raw_lines 1 lpop nolist 2]
        assert_equal {_} [list_raw_lines 1 lindex nolist 0]
        assert_equal {_} [list_raw_lines 1 lpos nolist a]
        assert_equal {_} [list_raw_lines 1 lmove nolist x left left]
        assert_equal {_} [list_raw_lines 1 lmpop 1 nolist left]
        r hello 2
    }

    test {A list keeps the node layout it was created with} {
        r config set list-max-listpack-size 1
        r config set list-compress-depth 2
        r del l
        for {set i 0} {$i < 30} {incr i} { r rpush l "v$i-[string repeat z 60]" }
        r config set list-max-listpack-size -2
        r config set list-compress-depth 0
        for {set i 30} {$i < 40} {incr i} { r rpush l "v$i-[string repeat z 60]" }
        set got [r lrange l 0 -1]
        assert_equal 40 [llength $got]
        assert_equal "v17-[string repeat z 60]" [lindex $got 17]
        assert_equal "v35-[string repeat z 60]" [r lindex l 35]
    }

    test {Keyspace events of the list commands} {
        r del l l2
        r config set notify-keyspace-events KEA
        set sub [redis_client]
        $sub psubscribe __keyevent@*
        r rpush l a b c
        r lpush l z
        r lpop l
        r rpop l 1
        r linsert l before a x
        r lset l 0 y
        r lrem l 0 y
        r ltrim l 0 0
        r lmove l l2 left right
        set events [list_read_events $sub 11]
        assert_equal {{rpush l} {lpush l} {lpop l} {rpop l} {linsert l} {lset l} {lrem l} {ltrim l} {rpush l2} {lpop l} {del l}} $events
        $sub close
        r config set notify-keyspace-events ""
    } {needs:pubsub}
}
