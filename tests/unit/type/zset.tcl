# zset.tcl: the sorted set commands and the two sorted set encodings.
#
# Covers ZADD (NX XX GT LT CH INCR) ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK
# ZREVRANK ZCOUNT ZLEXCOUNT ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES)
# ZRANGESTORE ZREVRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
# ZREVRANGEBYLEX ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN
# ZPOPMAX ZMPOP ZRANDMEMBER ZUNION ZUNIONSTORE ZINTER ZINTERSTORE ZINTERCARD
# ZDIFF ZDIFFSTORE ZSCAN and the blocking BZPOPMIN BZPOPMAX BZMPOP: replies
# (raw protocol where RESP2/RESP3 shapes matter), score formatting, error
# texts and the order in which arguments are checked, WRONGTYPE, encodings
# and their conversions, keyspace events, COPY and DEBUG DIGEST-VALUE.
#
# Most tests run once per encoding: "listpack" keeps the default thresholds;
# "skiplist" sets zset-max-listpack-entries to 0 first, so the very same
# data lives in the skiplist.  Randomized tests check ranks and ranges of a
# few thousand members against a model kept in Tcl.

proc zset_use_encoding {enc} {
    if {$enc eq "listpack"} {
        r config set zset-max-listpack-entries 128
    } else {
        r config set zset-max-listpack-entries 0
    }
    r config set zset-max-listpack-value 64
}

proc zset_create {key pairs} {
    r del $key
    r zadd $key {*}$pairs
}

# Sends one command in raw mode and returns its first n reply lines, joined
# by spaces.
proc zset_raw_lines {n args} {
    r readraw 1
    set lines [list [r {*}$args]]
    for {set i 1} {$i < $n} {incr i} { lappend lines [r read] }
    r readraw 0
    return [join $lines " "]
}

# Reads n keyevent notifications ("event key" pairs, arrival order).
proc zset_read_events {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel payload
        regsub {^__keyevent@[0-9]+__:} $channel {} event
        lappend out [list $event $payload]
    }
    return $out
}

# The model: a Tcl list of {score member} sorted as a zset sorts.
proc zset_model_sort {pairs} {
    lsort -command zset_model_cmp $pairs
}

proc zset_model_cmp {a b} {
    lassign $a sa ma
    lassign $b sb mb
    if {$sa < $sb} { return -1 }
    if {$sa > $sb} { return 1 }
    string compare $ma $mb
}

start_server {tags {"zset"}} {

# -------------------------------------------------------------- encodings

test {ZADD creates a listpack, zset-max-listpack-entries 0 a skiplist} {
    zset_use_encoding listpack
    zset_create z {1 a 2 b}
    assert_encoding listpack z
    assert_equal zset [r type z]
    zset_use_encoding skiplist
    zset_create z {1 a 2 b}
    assert_encoding skiplist z
    zset_use_encoding listpack
}

test {Listpack converts past zset-max-listpack-entries, one way} {
    r config set zset-max-listpack-entries 4
    r del z
    r zadd z 1 a 2 b 3 c 4 d
    assert_encoding listpack z
    # Updating existing members never converts.
    r zadd z 10 a 20 b
    assert_encoding listpack z
    r zadd z 5 e
    assert_encoding skiplist z
    assert_equal {b 20 a 10 e 5 d 4 c 3} [r zrevrange z 0 -1 withscores]
    r zrem z a b c d
    assert_encoding skiplist z
    assert_equal {e 5} [r zrange z 0 -1 withscores]
    zset_use_encoding listpack
}

test {Listpack converts for a member longer than zset-max-listpack-value} {
    r config set zset-max-listpack-value 8
    r del z
    r zadd z 1 12345678
    assert_encoding listpack z
    r zadd z 2 123456789
    assert_encoding skiplist z
    assert_equal {12345678 123456789} [r zrange z 0 -1]
    # A new key whose first member is too long starts as a skiplist.
    r del z
    r zadd z 1 123456789
    assert_encoding skiplist z
    zset_use_encoding listpack
}

test {A new key is sized on its first member only (Redis 7.0)} {
    r config set zset-max-listpack-entries 4
    r del z
    # Five pairs, one member: stays a listpack.
    r zadd z 1 a 2 a 3 a 4 a 5 a
    assert_encoding listpack z
    assert_equal {a 5} [r zrange z 0 -1 withscores]
    r del z
    r zadd z 1 a 2 b 3 c 4 d 5 e
    assert_encoding skiplist z
    zset_use_encoding listpack
}

test {Stored results take the encoding that fits} {
    r config set zset-max-listpack-entries 3
    r del a b d
    r zadd a 1 x 2 y
    r zadd b 3 z 4 w
    assert_equal 4 [r zunionstore d 2 a b]
    assert_encoding skiplist d
    assert_equal 2 [r zunionstore d 1 a]
    assert_encoding listpack d
    assert_equal 1 [r zrangestore d d 0 0]
    assert_encoding listpack d
    r zunionstore d 2 a b
    assert_equal 4 [r zrangestore d d 0 -1]
    assert_encoding skiplist d
    zset_use_encoding skiplist
    r zadd big 1 x
    assert_equal 1 [r zunionstore d 1 big]
    assert_encoding skiplist d
    zset_use_encoding listpack
}

test {CONFIG SET of the thresholds applies to later conversions only} {
    zset_use_encoding listpack
    zset_create z {1 a 2 b 3 c}
    r config set zset-max-listpack-entries 1
    assert_encoding listpack z
    r zadd z 1 a
    assert_encoding listpack z
    r zadd z 4 d
    assert_encoding skiplist z
    zset_use_encoding listpack
}

foreach enc {listpack skiplist} {

# ------------------------------------------------------------------ ZADD

test "ZADD basics, ZCARD, ZSCORE - $enc" {
    zset_use_encoding $enc
    r del z
    assert_equal 3 [r zadd z 1 a 2 b 3 c]
    assert_encoding $enc z
    assert_equal 0 [r zadd z 10 a]
    assert_equal 1 [r zadd z 5 d 5 d]
    assert_equal 4 [r zcard z]
    assert_equal 10 [r zscore z a]
    assert_equal {} [r zscore z nosuch]
    assert_equal {} [r zscore nokey a]
    assert_equal 0 [r zcard nokey]
    assert_equal {b c d a} [r zrange z 0 -1]
}

test "ZADD score formatting and parsing - $enc" {
    zset_use_encoding $enc
    r del z
    r zadd z 1.1 a 1e20 b inf c -inf d 0x10 e 3.0 f 1.5 g -2 h
    assert_equal 1.1000000000000001 [r zscore z a]
    assert_equal 1e+20 [r zscore z b]
    assert_equal inf [r zscore z c]
    assert_equal -inf [r zscore z d]
    assert_equal 16 [r zscore z e]
    assert_equal 3 [r zscore z f]
    assert_equal 1.5 [r zscore z g]
    assert_equal -2 [r zscore z h]
    assert_equal {d -inf h -2 a 1.1000000000000001 g 1.5 f 3 e 16 b 1e+20 c inf} \
        [r zrange z 0 -1 withscores]
    foreach bad {abc nan {} { 1} {1 } 1x} {
        assert_error {ERR value is not a valid float} {r zadd z $bad x}
    }
    assert_equal {} [r zscore z x]
}

test "ZADD option errors and argument order - $enc" {
    zset_use_encoding $enc
    r del z
    assert_error {*wrong number of arguments*} {r zadd z nx}
    assert_error {ERR syntax error} {r zadd z 1 a 2}
    assert_error {ERR syntax error} {r zadd z xx ch 1}
    assert_error {ERR XX and NX options at the same time are not compatible} {r zadd z nx xx 1 a}
    assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z gt nx 1 a}
    assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z lt nx 1 a}
    assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z gt lt 1 a}
    assert_error {ERR INCR option supports a single increment-element pair} {r zadd z incr 1 a 2 b}
    # Scores are all parsed before anything is added.
    assert_error {ERR value is not a valid float} {r zadd z 1 a x b}
    assert_equal 0 [r exists z]
    # The score error comes before the type check.
    r set s str
    assert_error {ERR value is not a valid float} {r zadd s x a}
    assert_error {WRONGTYPE*} {r zadd s 1 a}
    assert_error {*wrong number of arguments*} {r zadd z}
    assert_error {*wrong number of arguments*} {r zadd z 1}
}

test "ZADD NX XX CH - $enc" {
    zset_use_encoding $enc
    r del z
    assert_equal 0 [r zadd z xx 1 a]
    assert_equal 0 [r exists z]
    assert_equal 2 [r zadd z nx 1 a 2 b]
    assert_equal 1 [r zadd z nx 10 a 3 c]
    assert_equal {a 1 b 2 c 3} [r zrange z 0 -1 withscores]
    assert_equal 0 [r zadd z xx 10 a 4 d]
    assert_equal {b 2 c 3 a 10} [r zrange z 0 -1 withscores]
    assert_equal 2 [r zadd z ch 11 a 3 c 5 e]
    assert_equal 1 [r zadd z xx ch 12 a 7 nosuch]
    assert_equal {b 2 c 3 e 5 a 12} [r zrange z 0 -1 withscores]
}

test "ZADD GT LT - $enc" {
    zset_use_encoding $enc
    zset_create z {5 a 5 b}
    assert_equal 1 [r zadd z gt ch 4 a 6 b]
    assert_equal {a 5 b 6} [r zrange z 0 -1 withscores]
    assert_equal 1 [r zadd z lt ch 4 a 7 b]
    assert_equal {a 4 b 6} [r zrange z 0 -1 withscores]
    # GT and LT still add new members.
    assert_equal 1 [r zadd z gt 1 c]
    assert_equal 1 [r zadd z lt 100 d]
    assert_equal 0 [r zadd z gt xx 1 e]
    assert_equal {c 1 a 4 b 6 d 100} [r zrange z 0 -1 withscores]
}

test "ZADD INCR and ZINCRBY - $enc" {
    zset_use_encoding $enc
    r del z
    assert_equal 1.5 [r zadd z incr 1.5 a]
    assert_equal 3 [r zadd z incr 1.5 a]
    assert_equal {} [r zadd z incr nx 1 a]
    assert_equal {} [r zadd z incr xx 1 b]
    assert_equal {} [r zscore z b]
    assert_equal 1 [r zadd z incr nx 1 b]
    assert_equal {} [r zadd z incr gt -1 a]
    assert_equal 2 [r zadd z incr lt -1 a]
    assert_equal 12 [r zincrby z 10 a]
    assert_equal -1 [r zincrby z -1 c]
    assert_equal inf [r zincrby z inf c]
    assert_error {ERR resulting score is not a number (NaN)} {r zincrby z -inf c}
    assert_error {ERR resulting score is not a number (NaN)} {r zadd z incr -inf c}
    assert_equal inf [r zscore z c]
    assert_error {ERR value is not a valid float} {r zincrby z abc a}
    assert_error {ERR value is not a valid float} {r zincrby z nan a}
    assert_equal {b 1 a 12 c inf} [r zrange z 0 -1 withscores]
}

test "ZADD and ZINCRBY replies in raw protocol - $enc" {
    zset_use_encoding $enc
    r del z
    assert_equal {:1} [zset_raw_lines 1 zadd z 1 a]
    assert_equal {$3 1.5} [zset_raw_lines 2 zincrby z 0.5 a]
    assert_equal {$-1} [zset_raw_lines 1 zadd z incr nx 1 a]
    r hello 3
    assert_equal {,2.5} [zset_raw_lines 1 zincrby z 1 a]
    assert_equal {_} [zset_raw_lines 1 zadd z incr nx 1 a]
    assert_equal {,inf} [zset_raw_lines 1 zadd z incr inf a]
    r hello 2
}

# ------------------------------------------------- ZREM, ZMSCORE, ZRANK

test "ZREM deletes members and the emptied key - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c}
    assert_equal 2 [r zrem z a nosuch c a]
    assert_equal {b} [r zrange z 0 -1]
    assert_equal 0 [r zrem z nosuch]
    assert_equal 1 [r zrem z b nosuch]
    assert_equal 0 [r exists z]
    assert_equal 0 [r zrem nokey a]
}

test "ZMSCORE - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2.5 b}
    assert_equal {1 {} 2.5} [r zmscore z a x b]
    assert_equal {{} {}} [r zmscore nokey a b]
    assert_error {*wrong number of arguments*} {r zmscore z}
    assert_equal {*3 $1 1 $-1 $3 2.5} [zset_raw_lines 6 zmscore z a x b]
    r hello 3
    assert_equal {*2 ,1 _} [zset_raw_lines 3 zmscore z a x]
    r hello 2
}

test "ZRANK and ZREVRANK - $enc" {
    zset_use_encoding $enc
    zset_create z {10 x 20 y 30 z 20 a}
    assert_equal 0 [r zrank z x]
    assert_equal 1 [r zrank z a]
    assert_equal 2 [r zrank z y]
    assert_equal 3 [r zrank z z]
    assert_equal 0 [r zrevrank z z]
    assert_equal 3 [r zrevrank z x]
    assert_equal {} [r zrank z nosuch]
    assert_equal {} [r zrevrank nokey x]
    # Redis 7.0 has no WITHSCORE option.
    assert_error {*wrong number of arguments*} {r zrank z x withscore}
}

# ------------------------------------------------------------- ZRANGE

test "ZRANGE by rank, REV, WITHSCORES - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal {a b c d e} [r zrange z 0 -1]
    assert_equal {c d e} [r zrange z -3 -1]
    assert_equal {c d e} [r zrange z 2 100]
    assert_equal {a} [r zrange z -100 0]
    assert_equal {} [r zrange z 3 1]
    assert_equal {} [r zrange z 5 10]
    assert_equal {e d c} [r zrange z 0 2 rev]
    assert_equal {e 5 d 4} [r zrange z 0 1 rev withscores]
    assert_equal {e d c b a} [r zrevrange z 0 -1]
    assert_equal {b 2 a 1} [r zrevrange z -2 -1 withscores]
    assert_equal {} [r zrange nokey 0 -1]
    assert_error {ERR value is not an integer or out of range} {r zrange z a 1}
    assert_error {ERR value is not an integer or out of range} {r zrevrange z 0 1.5}
}

test "ZRANGE option errors - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b}
    assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} {r zrange z 0 1 limit 0 1}
    assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} {r zrevrange z 0 1 limit 0 1}
    assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} {r zrange z - + bylex withscores}
    assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} {r zrangebylex z - + withscores}
    assert_error {ERR syntax error} {r zrange z 0 1 byscore bylex}
    assert_error {ERR syntax error} {r zrange z 0 1 rev rev}
    assert_error {ERR syntax error} {r zrange z 0 1 limit 1}
    assert_error {ERR syntax error} {r zrange z 0 1 foo}
    assert_error {ERR syntax error} {r zrangebyscore z 0 1 byscore}
    assert_error {ERR syntax error} {r zrevrangebyscore z 1 0 rev}
    assert_error {ERR syntax error} {r zrevrange z 0 1 byscore}
    assert_error {ERR syntax error} {r zrangestore d z 0 1 withscores}
    assert_error {ERR value is not an integer or out of range} {r zrange z 0 1 byscore limit x 1}
    assert_error {ERR min or max is not a float} {r zrange z (a 1 byscore}
    assert_error {ERR min or max is not a float} {r zrangebyscore z 0 nan}
    assert_error {ERR min or max not valid string range item} {r zrange z a b bylex}
    assert_error {ERR min or max not valid string range item} {r zrangebylex z -a +}
    assert_error {ERR min or max not valid string range item} {r zrangebylex z - ++}
    # Parse errors come before the type check.
    r set s str
    assert_error {ERR min or max is not a float} {r zrangebyscore s x 1}
    assert_error {WRONGTYPE*} {r zrangebyscore s 0 1}
}

test "ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGE BYSCORE - $enc" {
    zset_use_encoding $enc
    zset_create z {-inf ninf 1 a 2 b 3 c 4 d 5 e inf pinf}
    assert_equal {a b c} [r zrangebyscore z 1 3]
    assert_equal {b c} [r zrangebyscore z (1 3]
    assert_equal {b} [r zrangebyscore z (1 (3]
    assert_equal {ninf a} [r zrangebyscore z -inf 1]
    assert_equal {e pinf} [r zrangebyscore z (4 +inf]
    assert_equal {ninf a b c d e pinf} [r zrangebyscore z -inf inf]
    assert_equal {} [r zrangebyscore z 3 1]
    assert_equal {} [r zrangebyscore z (2 (2]
    assert_equal {b 2} [r zrangebyscore z 2 2 withscores]
    assert_equal {c b a} [r zrevrangebyscore z 3 1]
    assert_equal {c 3 b 2} [r zrevrangebyscore z (4 (1 withscores]
    assert_equal {c b} [r zrange z (4 (1 byscore rev]
    assert_equal {a b c} [r zrange z 1 3 byscore]
    # strtod rules: empty is 0, hex and surrounding forms are accepted.
    r zadd z 0 zero
    assert_equal {zero} [r zrangebyscore z "" ""]
    assert_equal {a} [r zrangebyscore z ( 0x1]
    assert_equal {zero a} [r zrangebyscore z 0 0x1]
    assert_equal {a b} [r zrangebyscore z " 1" 2]
    assert_error {ERR min or max is not a float} {r zrangebyscore z "1 " 2}
}

test "ZRANGEBYSCORE LIMIT - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal {b c} [r zrangebyscore z -inf +inf limit 1 2]
    assert_equal {b c d e} [r zrangebyscore z -inf +inf limit 1 -1]
    assert_equal {} [r zrangebyscore z -inf +inf limit 1 0]
    assert_equal {} [r zrangebyscore z -inf +inf limit -1 2]
    assert_equal {} [r zrangebyscore z -inf +inf limit 5 2]
    assert_equal {d c} [r zrevrangebyscore z +inf -inf limit 1 2]
    assert_equal {d 4 c 3} [r zrevrangebyscore z +inf -inf withscores limit 1 2]
    assert_equal {c d} [r zrange z (1 4 byscore limit 1 5]
    assert_equal {c b} [r zrange z 4 (1 byscore rev limit 1 5]
}

test "ZRANGEBYLEX, ZREVRANGEBYLEX, ZRANGE BYLEX - $enc" {
    zset_use_encoding $enc
    zset_create z {0 alpha 0 bar 0 cool 0 down 0 elephant 0 foo 0 great 0 hill 0 omega}
    assert_equal {alpha bar cool} [r zrangebylex z - \[cool]
    assert_equal {bar cool down} [r zrangebylex z \[bar \[down]
    assert_equal {great hill omega} [r zrangebylex z \[g +]
    assert_equal {cool bar alpha} [r zrevrangebylex z \[cool -]
    assert_equal {down cool bar} [r zrevrangebylex z \[down \[bar]
    assert_equal {omega hill great foo elephant down} [r zrevrangebylex z + (d]
    assert_equal {cool} [r zrangebylex z (bar (down]
    assert_equal {} [r zrangebylex z + -]
    assert_equal {} [r zrangebylex z (foo (foo]
    assert_equal {foo} [r zrangebylex z \[foo \[foo]
    assert_equal {} [r zrangebylex z \[z +]
    assert_equal {bar cool} [r zrangebylex z - + limit 1 2]
    assert_equal {hill great} [r zrevrangebylex z + - limit 1 2]
    assert_equal {bar cool} [r zrange z - + bylex limit 1 2]
    assert_equal {hill great} [r zrange z + - bylex rev limit 1 2]
    # "[" alone is the empty string.
    assert_equal {alpha} [r zrangebylex z \[ (b]
    assert_equal {} [r zrangebylex nokey - +]
}

test "ZCOUNT and ZLEXCOUNT - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal 5 [r zcount z -inf +inf]
    assert_equal 3 [r zcount z 2 4]
    assert_equal 1 [r zcount z (2 (4]
    assert_equal 0 [r zcount z 4 2]
    assert_equal 0 [r zcount z 6 +inf]
    assert_equal 0 [r zcount nokey 0 1]
    assert_error {ERR min or max is not a float} {r zcount z a b}
    zset_create z {0 a 0 b 0 c 0 d 0 e}
    assert_equal 5 [r zlexcount z - +]
    assert_equal 3 [r zlexcount z \[b \[d]
    assert_equal 1 [r zlexcount z (b (d]
    assert_equal 0 [r zlexcount z + -]
    assert_equal 0 [r zlexcount nokey - +]
    assert_error {ERR min or max not valid string range item} {r zlexcount z a b}
}

test "ZRANGESTORE - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d}
    assert_equal 2 [r zrangestore d z 1 2]
    assert_equal {b 2 c 3} [r zrange d 0 -1 withscores]
    assert_equal 3 [r zrangestore d z (1 +inf byscore]
    assert_equal {b c d} [r zrange d 0 -1]
    assert_equal 2 [r zrangestore d z +inf (1 byscore rev limit 0 2]
    assert_equal {c 3 d 4} [r zrange d 0 -1 withscores]
    assert_equal 2 [r zrangestore d z \[b \[c bylex]
    assert_equal {b c} [r zrange d 0 -1]
    # An empty result deletes the destination.
    assert_equal 0 [r zrangestore d z 10 20]
    assert_equal 0 [r exists d]
    r set d str
    assert_equal 0 [r zrangestore d nokey 0 -1]
    assert_equal 0 [r exists d]
    # Overwrites a value of another type, and can be its own source.
    r set d str
    assert_equal 4 [r zrangestore d z 0 -1]
    assert_equal zset [r type d]
    assert_equal 2 [r zrangestore d d 0 1]
    assert_equal {a b} [r zrange d 0 -1]
}

# --------------------------------------------------------- ZREMRANGEBY*

test "ZREMRANGEBYRANK - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal 2 [r zremrangebyrank z 1 2]
    assert_equal {a d e} [r zrange z 0 -1]
    assert_equal 1 [r zremrangebyrank z -1 -1]
    assert_equal 0 [r zremrangebyrank z 5 10]
    assert_equal 0 [r zremrangebyrank z 1 0]
    assert_equal 2 [r zremrangebyrank z -100 100]
    assert_equal 0 [r exists z]
    assert_equal 0 [r zremrangebyrank nokey 0 -1]
    assert_error {ERR value is not an integer or out of range} {r zremrangebyrank z a 1}
}

test "ZREMRANGEBYSCORE - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal 2 [r zremrangebyscore z (1 3]
    assert_equal {a d e} [r zrange z 0 -1]
    assert_equal 0 [r zremrangebyscore z 10 20]
    assert_equal 0 [r zremrangebyscore z 5 1]
    assert_equal 1 [r zremrangebyscore z -inf (4]
    assert_equal 2 [r zremrangebyscore z -inf +inf]
    assert_equal 0 [r exists z]
    assert_error {ERR min or max is not a float} {r zremrangebyscore z a 2}
}

test "ZREMRANGEBYLEX - $enc" {
    zset_use_encoding $enc
    zset_create z {0 a 0 b 0 c 0 d 0 e}
    assert_equal 2 [r zremrangebylex z \[b (d]
    assert_equal {a d e} [r zrange z 0 -1]
    assert_equal 0 [r zremrangebylex z + -]
    assert_equal 2 [r zremrangebylex z (a +]
    assert_equal 1 [r zremrangebylex z - +]
    assert_equal 0 [r exists z]
    assert_error {ERR min or max not valid string range item} {r zremrangebylex z b c}
}

# ------------------------------------------------------------------ pops

test "ZPOPMIN and ZPOPMAX - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d}
    assert_equal {a 1} [r zpopmin z]
    assert_equal {d 4} [r zpopmax z]
    assert_equal {b 2 c 3} [r zpopmin z 5]
    assert_equal 0 [r exists z]
    assert_equal {} [r zpopmin nokey]
    assert_equal {} [r zpopmax nokey 3]
    zset_create z {1 a 2 b 3 c}
    assert_equal {} [r zpopmin z 0]
    assert_equal {c 3 b 2} [r zpopmax z 2]
    assert_error {ERR value is out of range, must be positive} {r zpopmin z -1}
    assert_error {ERR value is out of range, must be positive} {r zpopmin z abc}
    assert_error {ERR syntax error} {r zpopmin z 1 2}
    assert_equal {*0} [zset_raw_lines 1 zpopmin nokey]
    assert_equal {*2 $1 a $1 1} [zset_raw_lines 5 zpopmin z]
}

test "ZPOPMIN reply shapes in RESP3 - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c}
    r hello 3
    # Without COUNT a flat pair; with COUNT nested pairs.
    assert_equal {*2 $1 a ,1} [zset_raw_lines 4 zpopmin z]
    assert_equal {*1 *2 $1 b ,2} [zset_raw_lines 5 zpopmin z 1]
    assert_equal {*0} [zset_raw_lines 1 zpopmax nokey]
    r hello 2
}

test "ZMPOP - $enc" {
    zset_use_encoding $enc
    r del z1 z2
    zset_create z2 {1 a 2 b 3 c}
    assert_equal {z2 {{a 1}}} [r zmpop 2 z1 z2 min]
    assert_equal {z2 {{c 3} {b 2}}} [r zmpop 2 z1 z2 max count 10]
    assert_equal 0 [r exists z2]
    assert_equal {} [r zmpop 2 z1 z2 min]
    assert_equal {*-1} [zset_raw_lines 1 zmpop 1 z1 min]
    assert_error {ERR numkeys should be greater than 0} {r zmpop 0 z1 min}
    assert_error {ERR numkeys should be greater than 0} {r zmpop abc z1 min}
    assert_error {ERR syntax error} {r zmpop 2 z1 min}
    assert_error {ERR syntax error} {r zmpop 1 z1 foo}
    assert_error {ERR count should be greater than 0} {r zmpop 1 z1 min count 0}
    assert_error {ERR count should be greater than 0} {r zmpop 1 z1 min count x}
    assert_error {ERR syntax error} {r zmpop 1 z1 min count 1 count 1}
    assert_error {ERR syntax error} {r zmpop 1 z1 min count}
    r set s str
    assert_error {WRONGTYPE*} {r zmpop 2 z1 s min}
    zset_create z1 {1 a}
    assert_equal {z1 {{a 1}}} [r zmpop 2 z1 s min]
    r hello 3
    assert_equal {_} [zset_raw_lines 1 zmpop 1 z1 min]
    r zadd z1 1.5 a
    assert_equal {*2 $2 z1 *1 *2 $1 a ,1.5} [zset_raw_lines 8 zmpop 1 z1 min]
    r hello 2
}

# ------------------------------------------------------------ ZRANDMEMBER

test "ZRANDMEMBER without and with count - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c 4 d 5 e}
    assert_equal {} [r zrandmember nokey]
    assert_equal {} [r zrandmember nokey 5]
    assert_equal {} [r zrandmember z 0]
    assert {[r zrandmember z] in {a b c d e}}
    # Distinct members when count > 0; the whole set past its size,
    # highest score first.
    assert_equal {e d c b a} [r zrandmember z 5]
    assert_equal {e 5 d 4 c 3 b 2 a 1} [r zrandmember z 10 withscores]
    set got [r zrandmember z 3]
    assert_equal 3 [llength [lsort -unique $got]]
    set got [r zrandmember z 3 withscores]
    foreach {m s} $got { assert_equal [r zscore z $m] $s }
    # Repetitions when count < 0.
    set got [r zrandmember z -100]
    assert_equal 100 [llength $got]
    assert_equal {a b c d e} [lsort -unique $got]
    set got [r zrandmember z -20 withscores]
    assert_equal 40 [llength $got]
    foreach {m s} $got { assert_equal [r zscore z $m] $s }
    assert_error {ERR value is not an integer or out of range} {r zrandmember z abc}
    assert_error {ERR syntax error} {r zrandmember z 1 foo}
    assert_error {ERR syntax error} {r zrandmember z 1 withscores x}
    assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} {r zrandmember z -9223372036854775808}
    assert_error {ERR value is out of range} {r zrandmember z 5000000000000000000 withscores}
    r hello 3
    assert_equal {{e 5} {d 4} {c 3} {b 2} {a 1}} [r zrandmember z 5 withscores]
    zset_create one {1 a}
    assert_equal {*1 *2 $1 a ,1} [zset_raw_lines 5 zrandmember one -1 withscores]
    r hello 2
}

test "ZRANDMEMBER samples every member of a big zset - $enc" {
    zset_use_encoding $enc
    r del z
    for {set i 0} {$i < 100} {incr i} { r zadd z $i m$i }
    unset -nocomplain zs_seen
    array set zs_seen {}
    for {set j 0} {$j < 30} {incr j} {
        foreach m [r zrandmember z 10] { set zs_seen($m) 1 }
        foreach m [r zrandmember z 50] { set zs_seen($m) 1 }
        foreach m [r zrandmember z -10] { set zs_seen($m) 1 }
    }
    assert_equal 100 [array size zs_seen]
    foreach count {10 40 90 99} {
        set got [r zrandmember z $count]
        assert_equal $count [llength [lsort -unique $got]]
    }
}

# ------------------------------------------------ ZUNION ZINTER ZDIFF ...

test "ZUNION and ZUNIONSTORE with WEIGHTS and AGGREGATE - $enc" {
    zset_use_encoding $enc
    r del z1 z2 z3 d
    r zadd z1 1 a 2 b 3 c
    r zadd z2 10 b 20 c 30 d
    assert_equal {a 1 b 12 c 23 d 30} [r zunion 2 z1 z2 withscores]
    assert_equal {a b c d} [r zunion 2 z1 z2]
    assert_equal {a 2 b 34 c 66 d 90} [r zunion 2 z1 z2 weights 2 3 withscores]
    assert_equal {a 1 b 2 c 3 d 30} [r zunion 2 z1 z2 aggregate min withscores]
    assert_equal {a 1 b 10 c 20 d 30} [r zunion 2 z1 z2 aggregate max withscores]
    assert_equal {a 1 b 2 c 3} [r zunion 2 z1 nokey withscores]
    assert_equal 4 [r zunionstore d 2 z1 z2]
    assert_equal {a 1 b 12 c 23 d 30} [r zrange d 0 -1 withscores]
    assert_equal 0 [r zunionstore d 1 nokey]
    assert_equal 0 [r exists d]
    # inf + -inf is 0 under SUM; a zero weight times an infinity is 0 too.
    r del z2 z3
    r zadd z2 -inf a inf b 1 c
    r zadd z3 inf a -inf b 2 c
    assert_equal {a 0 b 0 c 3} [r zunion 2 z2 z3 withscores]
    assert_equal {b -inf c 2 a inf} [r zunion 2 z2 z3 weights 0 1 withscores]
}

test "ZINTER, ZINTERSTORE, ZINTERCARD - $enc" {
    zset_use_encoding $enc
    r del z1 z2 z3 d
    r zadd z1 1 a 2 b 3 c
    r zadd z2 10 b 20 c 30 d
    assert_equal {b 12 c 23} [r zinter 2 z1 z2 withscores]
    assert_equal {b 8 c 17} [r zinter 2 z1 z2 weights -1 1 withscores]
    assert_equal {b 2 c 3} [r zinter 2 z1 z2 aggregate min withscores]
    assert_equal {b 10 c 20} [r zinter 2 z1 z2 aggregate max withscores]
    assert_equal {a 2 b 4 c 6} [r zinter 2 z1 z1 withscores]
    assert_equal {} [r zinter 3 z1 z2 nokey]
    assert_equal 2 [r zinterstore d 2 z1 z2]
    assert_equal {b 12 c 23} [r zrange d 0 -1 withscores]
    assert_equal 0 [r zinterstore d 2 z1 nokey]
    assert_equal 0 [r exists d]
    assert_equal 2 [r zintercard 2 z1 z2]
    assert_equal 1 [r zintercard 2 z1 z2 limit 1]
    assert_equal 2 [r zintercard 2 z1 z2 limit 0]
    assert_equal 0 [r zintercard 2 z1 nokey]
    r del z2 z3
    r zadd z2 -inf a inf b 1 c
    r zadd z3 inf a -inf b 2 c
    assert_equal {a 0 b 0 c 3} [r zinter 2 z2 z3 withscores]
    assert_equal {b -inf a 0 c 0} [r zinter 2 z2 z3 weights 0 1 aggregate min withscores]
    assert_equal {a -inf c 1 b inf} [r zinter 2 z2 z3 weights 1 0 aggregate max withscores]
}

test "ZDIFF and ZDIFFSTORE - $enc" {
    zset_use_encoding $enc
    r del z1 z2 d
    r zadd z1 1 a 2 b 3 c 4 d
    r zadd z2 10 b 30 d 40 e
    assert_equal {a 1 c 3} [r zdiff 2 z1 z2 withscores]
    assert_equal {a c} [r zdiff 2 z1 z2]
    assert_equal {a b c d} [r zdiff 2 z1 nokey]
    assert_equal {} [r zdiff 2 z1 z1]
    assert_equal {} [r zdiff 2 nokey z1]
    assert_equal {a 1 b 2 c 3 d 4} [r zdiff 1 z1 withscores]
    assert_equal 2 [r zdiffstore d 2 z1 z2]
    assert_equal {a 1 c 3} [r zrange d 0 -1 withscores]
    assert_equal 0 [r zdiffstore d 2 z1 z1]
    assert_equal 0 [r exists d]
}

test "Set operations accept sets as inputs with score 1 - $enc" {
    zset_use_encoding $enc
    r del z s1 s2 d
    r zadd z -inf a 5 b 7 c
    r sadd s1 a x 5
    r sadd s2 1 2 3
    assert_equal {a -inf 5 1 x 1 b 5 c 7} [r zunion 2 z s1 withscores]
    assert_equal {1 1 2 1 3 1} [r zunion 1 s2 withscores]
    assert_equal {5 2 a 2 x 2 1 3 2 3 3 3} [r zunion 2 s1 s2 weights 2 3 withscores]
    assert_equal {a -inf} [r zinter 2 z s1 weights 2 3 withscores]
    assert_equal {5 1 x 1} [r zdiff 2 s1 z withscores]
    assert_equal {b 5 c 7} [r zdiff 2 z s1 withscores]
    assert_equal 1 [r zintercard 2 s1 z]
    assert_equal 3 [r zinterstore d 1 s2]
    assert_equal {1 1 2 1 3 1} [r zrange d 0 -1 withscores]
    assert_equal zset [r type d]
}

test "Set operation errors and argument order - $enc" {
    zset_use_encoding $enc
    r del z1 d
    r zadd z1 1 a
    assert_error {ERR at least 1 input key is needed for 'zunionstore' command} {r zunionstore d 0 z1}
    assert_error {ERR at least 1 input key is needed for 'zunion' command} {r zunion 0 z1}
    assert_error {ERR at least 1 input key is needed for 'zinter' command} {r zinter -1 z1}
    assert_error {ERR at least 1 input key is needed for 'zdiffstore' command} {r zdiffstore d 0 z1}
    assert_error {ERR at least 1 input key is needed for 'zintercard' command} {r zintercard 0 z1}
    assert_error {ERR value is not an integer or out of range} {r zunion abc z1}
    assert_error {ERR value is not an integer or out of range} {r zintercard abc z1}
    assert_error {ERR syntax error} {r zunion 2 z1}
    assert_error {ERR syntax error} {r zunion 1 z1 weights 1 2}
    assert_error {ERR syntax error} {r zunion 1 z1 weights}
    assert_error {ERR weight value is not a float} {r zunion 1 z1 weights abc}
    assert_error {ERR syntax error} {r zinter 1 z1 aggregate foo}
    assert_error {ERR syntax error} {r zinter 1 z1 aggregate}
    assert_error {ERR syntax error} {r zdiff 1 z1 weights 1}
    assert_error {ERR syntax error} {r zdiff 1 z1 aggregate sum}
    assert_error {ERR syntax error} {r zunionstore d 1 z1 withscores}
    assert_error {ERR syntax error} {r zintercard 1 z1 withscores}
    assert_error {ERR syntax error} {r zintercard 1 z1 limit}
    assert_error {ERR LIMIT can't be negative} {r zintercard 1 z1 limit -1}
    assert_error {ERR LIMIT can't be negative} {r zintercard 1 z1 limit abc}
    r set s str
    assert_error {WRONGTYPE*} {r zunion 2 z1 s}
    assert_error {WRONGTYPE*} {r zinter 2 nokey s}
    assert_error {WRONGTYPE*} {r zdiff 2 z1 s}
    assert_error {WRONGTYPE*} {r zintercard 1 s}
    # The type check comes before the options are parsed.
    assert_error {WRONGTYPE*} {r zunion 1 s weights x}
    # A string destination is overwritten.
    assert_equal 1 [r zunionstore s 1 z1]
    assert_equal zset [r type s]
}

test "WITHSCORES reply shapes in RESP2 and RESP3 - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2.5 b}
    assert_equal {*4 $1 a $1 1 $1 b $3 2.5} [zset_raw_lines 9 zrange z 0 -1 withscores]
    r hello 3
    assert_equal {*2 *2 $1 a ,1 *2 $1 b ,2.5} [zset_raw_lines 9 zrange z 0 -1 withscores]
    assert_equal {*1 *2 $1 b ,2.5} [zset_raw_lines 5 zrangebyscore z (1 +inf withscores]
    assert_equal {*2 *2 $1 a ,1 *2 $1 b ,2.5} [zset_raw_lines 9 zunion 1 z withscores]
    assert_equal {*2 $1 a $1 b} [zset_raw_lines 5 zrange z 0 -1]
    assert_equal {*0} [zset_raw_lines 1 zrange nokey 0 -1 withscores]
    assert_equal {*0} [zset_raw_lines 1 zrange z 5 10 withscores]
    r hello 2
}

# ------------------------------------------------------------------ ZSCAN

test "ZSCAN - $enc" {
    zset_use_encoding $enc
    r del z
    for {set i 0} {$i < 100} {incr i} { r zadd z $i m$i }
    r zadd z 1.5 x
    set cursor 0
    unset -nocomplain zs_got
    array set zs_got {}
    while 1 {
        lassign [r zscan z $cursor count 7] cursor items
        foreach {m s} $items { set zs_got($m) $s }
        if {$cursor == 0} break
    }
    assert_equal 101 [array size zs_got]
    assert_equal 42 $zs_got(m42)
    assert_equal 1.5 $zs_got(x)
    lassign [r zscan z 0 match m9* count 1000] cursor items
    assert_equal 0 $cursor
    assert_equal {m9 9 m90 90 m91 91 m92 92 m93 93 m94 94 m95 95 m96 96 m97 97 m98 98 m99 99} \
        [lsort -stride 2 $items]
    assert_equal {0 {}} [r zscan nokey 0]
    assert_error {ERR invalid cursor} {r zscan z abc}
    assert_error {ERR syntax error} {r zscan z 0 count 0}
    assert_error {ERR syntax error} {r zscan z 0 foo}
    # Options are only parsed for an existing key.
    assert_equal {0 {}} [r zscan nokey 0 count 0]
}

test "ZSCAN of a listpack returns everything at once - $enc" {
    if {$enc eq "listpack"} {
        zset_create z {1 a 2.5 b 3 c}
        assert_equal {0 {a 1 b 2.5 c 3}} [r zscan z 0 count 1]
    }
}

# ------------------------------------------------------------- WRONGTYPE

test "Every zset command refuses a string key - $enc" {
    zset_use_encoding $enc
    r set s str
    foreach cmd {
        {zadd s 1 a} {zincrby s 1 a} {zrem s a} {zcard s} {zscore s a}
        {zmscore s a} {zrank s a} {zrevrank s a} {zcount s 0 1}
        {zlexcount s - +} {zrange s 0 1} {zrevrange s 0 1}
        {zrangebyscore s 0 1} {zrevrangebyscore s 1 0} {zrangebylex s - +}
        {zrevrangebylex s + -} {zrangestore d s 0 1} {zremrangebyrank s 0 1}
        {zremrangebyscore s 0 1} {zremrangebylex s - +} {zpopmin s}
        {zpopmax s 2} {zmpop 1 s min} {zrandmember s} {zrandmember s 0}
        {zrandmember s 2 withscores} {zscan s 0} {zunion 1 s} {zinter 1 s}
        {zdiff 1 s} {zunionstore d 1 s} {zintercard 1 s}
    } {
        assert_error {WRONGTYPE*} {r {*}$cmd} $cmd
    }
    assert_equal str [r get s]
}

# ----------------------------------------------------- randomized checks

test "Ranks and ranges match a Tcl model on random data - $enc" {
    zset_use_encoding $enc
    r del z
    set model {}
    unset -nocomplain zs_score
    array set zs_score {}
    for {set i 0} {$i < 2000} {incr i} {
        set m [randstring 1 8 alpha]
        set s [expr {[randomInt 200] - 100}]
        if {[randomInt 4] == 0} { set s [expr {$s / 7.0}] }
        r zadd z $s $m
        set zs_score($m) [expr {double($s)}]
    }
    foreach m [array names zs_score] { lappend model [list $zs_score($m) $m] }
    set model [zset_model_sort $model]
    set n [llength $model]
    assert_equal $n [r zcard z]
    set members {}
    foreach e $model { lappend members [lindex $e 1] }
    assert_equal $members [r zrange z 0 -1]
    assert_equal [lreverse $members] [r zrevrange z 0 -1]
    for {set j 0} {$j < 200} {incr j} {
        set i [randomInt $n]
        set m [lindex $members $i]
        assert_equal $i [r zrank z $m]
        assert_equal [expr {$n - 1 - $i}] [r zrevrank z $m]
        set a [expr {[randomInt [expr {$n + 40}]] - 20 - $n / 2}]
        set b [expr {[randomInt [expr {$n + 40}]] - 20}]
        set sa [expr {$a < 0 ? max($n + $a, 0) : $a}]
        set sb [expr {$b < 0 ? $n + $b : min($b, $n - 1)}]
        assert_equal [lrange $members $sa $sb] [r zrange z $a $b] "zrange $a $b"
        set lo [expr {[randomInt 220] - 110}]
        set hi [expr {$lo + [randomInt 60]}]
        set exp {}
        foreach e $model {
            if {[lindex $e 0] > $lo && [lindex $e 0] <= $hi} { lappend exp [lindex $e 1] }
        }
        assert_equal $exp [r zrangebyscore z ($lo $hi] "zrangebyscore ($lo $hi"
        assert_equal [llength $exp] [r zcount z ($lo $hi]
        assert_equal [lreverse $exp] [r zrevrangebyscore z $hi ($lo]
        set off [randomInt 5]
        set cnt [randomInt 5]
        assert_equal [lrange $exp $off [expr {$off + $cnt - 1}]] \
            [r zrangebyscore z ($lo $hi limit $off $cnt]
    }
}

test "Lex ranges match a Tcl model on random data - $enc" {
    zset_use_encoding $enc
    r del z
    unset -nocomplain zs_seen
    array set zs_seen {}
    for {set i 0} {$i < 1500} {incr i} {
        set m [randstring 0 6 alpha]
        set zs_seen($m) 1
        r zadd z 0 $m
    }
    set members [lsort [array names zs_seen]]
    assert_equal $members [r zrange z 0 -1]
    for {set j 0} {$j < 200} {incr j} {
        set a [randstring 0 3 alpha]
        set b [randstring 0 3 alpha]
        set exp {}
        foreach m $members {
            if {[string compare $m $a] >= 0 && [string compare $m $b] < 0} { lappend exp $m }
        }
        assert_equal $exp [r zrangebylex z \[$a ($b]
        assert_equal [llength $exp] [r zlexcount z \[$a ($b]
        assert_equal [lreverse $exp] [r zrevrangebylex z ($b \[$a]
    }
}

test "Random deletions keep ranks consistent - $enc" {
    zset_use_encoding $enc
    r del z
    set model {}
    for {set i 0} {$i < 1000} {incr i} {
        r zadd z $i m$i
        lappend model m$i
    }
    for {set j 0} {$j < 100} {incr j} {
        switch [randomInt 4] {
            0 {
                set i [randomInt [llength $model]]
                r zrem z [lindex $model $i]
                set model [lreplace $model $i $i]
            }
            1 {
                set i [randomInt [llength $model]]
                set k [expr {$i + [randomInt 10]}]
                assert_equal [llength [lrange $model $i $k]] [r zremrangebyrank z $i $k]
                set model [lreplace $model $i $k]
            }
            2 {
                set m [lindex $model 0]
                assert_equal [list $m [string range $m 1 end]] [r zpopmin z]
                set model [lrange $model 1 end]
            }
            3 {
                set m [lindex $model end]
                assert_equal [list $m [string range $m 1 end]] [r zpopmax z]
                set model [lrange $model 0 end-1]
            }
        }
        assert_equal [llength $model] [r zcard z]
    }
    assert_equal $model [r zrange z 0 -1]
    foreach i {0 17 100} {
        if {$i < [llength $model]} { assert_equal $i [r zrank z [lindex $model $i]] }
    }
}

test "Score updates move members (ZINCRBY in a loop) - $enc" {
    zset_use_encoding $enc
    r del z
    unset -nocomplain zs_score
    array set zs_score {}
    for {set i 0} {$i < 100} {incr i} {
        r zadd z 0 m$i
        set zs_score(m$i) 0
    }
    for {set j 0} {$j < 1000} {incr j} {
        set m m[randomInt 100]
        set d [expr {[randomInt 21] - 10}]
        r zincrby z $d $m
        incr zs_score($m) $d
    }
    set model {}
    foreach m [array names zs_score] { lappend model [list $zs_score($m) $m] }
    set exp {}
    foreach e [zset_model_sort $model] { lappend exp [lindex $e 1] [lindex $e 0] }
    assert_equal $exp [r zrange z 0 -1 withscores]
}

# ------------------------------------------------------- COPY and DIGEST

test "COPY makes an independent copy with the same encoding - $enc" {
    zset_use_encoding $enc
    zset_create z {1 a 2 b 3 c}
    r del z2
    assert_equal 1 [r copy z z2]
    assert_encoding $enc z2
    r zadd z 10 a
    assert_equal {a 1 b 2 c 3} [r zrange z2 0 -1 withscores]
    assert_equal {b 2 c 3 a 10} [r zrange z 0 -1 withscores]
} {needs:types}

} ;# foreach enc

# --------------------------------------------------------- blocking pops

proc zset_wait_blocked {n} {
    wait_for_condition 100 10 {[s blocked_clients] == $n} else {
        fail "expected $n blocked clients, got [s blocked_clients]"
    }
}

foreach enc {listpack skiplist} {

test "BZPOPMIN and BZPOPMAX serve at once when a key has data - $enc" {
    zset_use_encoding $enc
    r del z1 z2 z3
    r zadd z2 1 a 2 b 3 c
    assert_equal {z2 a 1} [r bzpopmin z1 z2 z3 0]
    assert_equal {z2 c 3} [r bzpopmax z1 z2 z3 0]
    assert_equal {z2 b 2} [r bzpopmax z3 z2 1]
    assert_equal 0 [r exists z2]
    r zadd z1 1.5 x
    r hello 3
    assert_equal {*3 $2 z1 $1 x ,1.5} [zset_raw_lines 6 bzpopmin z1 0]
    r hello 2
}

test "BZPOPMIN blocks until a ZADD - $enc" {
    zset_use_encoding $enc
    r del z1 z2
    set rd [redis_deferring_client]
    $rd bzpopmin z1 z2 0
    zset_wait_blocked 1
    r zadd z2 5 five 1 one
    assert_equal {z2 one 1} [$rd read]
    assert_equal {five} [r zrange z2 0 -1]
    zset_wait_blocked 0
    $rd bzpopmax z1 0
    zset_wait_blocked 1
    r zadd z1 1 a 2 b
    assert_equal {z1 b 2} [$rd read]
    $rd close
} {needs:types}

test "Blocked clients are served in the order they blocked - $enc" {
    zset_use_encoding $enc
    r del z
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    set rd3 [redis_deferring_client]
    $rd1 bzpopmin z 0
    zset_wait_blocked 1
    $rd2 bzpopmax z 0
    zset_wait_blocked 2
    $rd3 bzpopmin z 0
    zset_wait_blocked 3
    r zadd z 1 a 2 b
    assert_equal {z a 1} [$rd1 read]
    assert_equal {z b 2} [$rd2 read]
    zset_wait_blocked 1
    r zadd z 3 c
    assert_equal {z c 3} [$rd3 read]
    assert_equal 0 [r exists z]
    $rd1 close
    $rd2 close
    $rd3 close
} {needs:types}

test "BZPOPMIN times out with a null array - $enc" {
    zset_use_encoding $enc
    r del z
    set rd [redis_deferring_client]
    set start [clock milliseconds]
    $rd bzpopmin z 0.1
    assert_equal {} [$rd read]
    set elapsed [expr {[clock milliseconds] - $start}]
    assert_range $elapsed 90 2000
    $rd readraw 1
    $rd bzpopmax z 0.01
    assert_equal {*-1} [$rd read]
    $rd close
}

test "BZMPOP - $enc" {
    zset_use_encoding $enc
    r del z1 z2
    r zadd z2 1 a 2 b 3 c
    assert_equal {z2 {{a 1} {b 2}}} [r bzmpop 0 2 z1 z2 min count 2]
    assert_equal {z2 {{c 3}}} [r bzmpop 0 2 z1 z2 max count 10]
    set rd [redis_deferring_client]
    $rd bzmpop 0 2 z1 z2 max count 2
    zset_wait_blocked 1
    r zadd z1 1 x 2 y 3 z
    assert_equal {z1 {{z 3} {y 2}}} [$rd read]
    assert_equal {x} [r zrange z1 0 -1]
    $rd bzmpop 0.01 1 nokey min
    assert_equal {} [$rd read]
    $rd close
    assert_error {ERR timeout is negative} {r bzmpop -1 1 z1 min}
    assert_error {ERR timeout is not a float or out of range} {r bzmpop abc 1 z1 min}
    assert_error {ERR numkeys should be greater than 0} {r bzmpop 0 0 z1 min}
    assert_error {ERR syntax error} {r bzmpop 0 2 z1 min}
    assert_error {ERR count should be greater than 0} {r bzmpop 0 1 z1 min count 0}
    assert_error {*wrong number of arguments*} {r bzmpop 0 z1 min}
} {needs:types}

test "Blocking pop errors - $enc" {
    zset_use_encoding $enc
    r del z
    r set s str
    assert_error {ERR timeout is not a float or out of range} {r bzpopmin z abc}
    assert_error {ERR timeout is negative} {r bzpopmin z -1}
    assert_error {WRONGTYPE*} {r bzpopmin s 0}
    assert_error {WRONGTYPE*} {r bzpopmax z s 0}
    assert_error {WRONGTYPE*} {r bzmpop 0 2 z s min}
    assert_error {*wrong number of arguments*} {r bzpopmin z}
}

test "A stored result wakes a blocked client - $enc" {
    zset_use_encoding $enc
    r del z src
    r zadd src 1 a 2 b
    set rd [redis_deferring_client]
    $rd bzpopmax z 0
    zset_wait_blocked 1
    r zunionstore z 1 src
    assert_equal {z b 2} [$rd read]
    assert_equal {a 1} [r zrange z 0 -1 withscores]
    $rd close
} {needs:types}

test "A client blocked on a key that becomes a string stays blocked - $enc" {
    zset_use_encoding $enc
    r del z
    set rd [redis_deferring_client]
    $rd bzpopmin z 0
    zset_wait_blocked 1
    r set z str
    after 50
    assert_equal 1 [s blocked_clients]
    r del z
    r zadd z 7 seven
    assert_equal {z seven 7} [$rd read]
    $rd close
} {needs:types}

test "BZPOPMIN inside MULTI answers at once - $enc" {
    zset_use_encoding $enc
    r del z
    r multi
    r bzpopmin z 0
    r zadd z 1 a
    r bzpopmin z 0
    assert_equal {{} 1 {z a 1}} [r exec]
}

} ;# foreach enc

test {DEBUG DIGEST-VALUE is the same for both encodings} {
    zset_use_encoding listpack
    zset_create a {1 x 2.5 y -inf z}
    zset_use_encoding skiplist
    zset_create b {1 x 2.5 y -inf z}
    assert_encoding listpack a
    assert_encoding skiplist b
    assert_equal [r debug digest-value a] [r debug digest-value b]
    r zadd b 3 y
    assert_not_equal [r debug digest-value a] [r debug digest-value b]
    zset_use_encoding listpack
} {needs:types}

test {A converted listpack keeps its contents} {
    r config set zset-max-listpack-entries 16
    r del z
    for {set i 0} {$i < 16} {incr i} { r zadd z [expr {$i * 1.5}] m$i }
    set before [r zrange z 0 -1 withscores]
    set d [r debug digest-value z]
    assert_encoding listpack z
    r zadd z 1000 extra
    assert_encoding skiplist z
    r zrem z extra
    assert_equal $before [r zrange z 0 -1 withscores]
    assert_equal $d [r debug digest-value z]
    zset_use_encoding listpack
} {needs:types}

test {Members are binary safe, integers in a listpack keep their text} {
    zset_use_encoding listpack
    r del z
    set bin "a\x00b\r\n\xff"
    r zadd z 1 $bin 2 "" 3 10 4 -5 5 007 6 9223372036854775807 7 9223372036854775808
    assert_equal [list $bin 1 "" 2 10 3 -5 4 007 5 9223372036854775807 6 9223372036854775808 7] \
        [r zrange z 0 -1 withscores]
    assert_equal 3 [r zscore z 10]
    assert_equal 5 [r zscore z 007]
    assert_equal {} [r zscore z 7]
    assert_equal 1 [r zscore z $bin]
}

test {ZADD -0 is stored as 0 in a listpack, -0 in a skiplist} {
    zset_use_encoding listpack
    zset_create z {-0 a}
    assert_equal 0 [r zscore z a]
    zset_use_encoding skiplist
    zset_create z {-0 a}
    assert_equal -0 [r zscore z a]
    zset_use_encoding listpack
}

# ---------------------------------------------------------- notifications

test {Keyspace events of the zset commands} {
    r config set notify-keyspace-events KEA
    r del z z2 d d2
    set c [redis_client]
    $c psubscribe __keyevent@*
    r zadd z 1 a 2 b 3 c 4 d 5 e 6 f
    r zadd z 1 a
    r zincrby z 1 a
    r zrem z a
    r zrem z nosuch
    r zremrangebyscore z 0 2
    r zremrangebyrank z 0 0
    r zremrangebylex z - +
    r zadd z 1 a 2 b 3 c
    r zpopmin z
    r zpopmax z
    r zadd z2 1 x
    r zunionstore d 1 z2
    r zinterstore d 1 z2
    r zdiffstore d 1 z2
    r zrangestore d2 z2 0 -1
    r zmpop 1 z2 min
    r zunionstore d 1 nokey
    set got [zset_read_events $c 18]
    assert_equal [lrange {{zadd z} {zincr z} {zrem z} {zremrangebyscore z} {zremrangebyrank z}
        {zremrangebylex z} {del z} {zadd z} {zpopmin z} {zpopmax z} {zadd z2}
        {zunionstore d} {zinterstore d} {zdiffstore d} {zrangestore d2}
        {zpopmin z2} {del z2} {del d}} 0 end] $got
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

}
