# memory.tcl: the MEMORY command family.
#
# USAGE is an estimate, so it is tested by relations rather than by exact
# numbers: bigger values take more, a value that converts to its big
# encoding takes more than the compact one holding the same data, sampling
# (SAMPLES) is what makes a skewed value's estimate differ, and the sizes
# stay within a sane factor of the payload.  Its errors and its null reply
# are Redis's exactly.  STATS is checked for Redis 7.0's keys, order, value
# types (RESP3 doubles for ratios) and for the arithmetic that ties its
# figures together and to INFO memory.  DOCTOR, MALLOC-STATS, PURGE and HELP
# for their reply shapes and what they must say.

# MEMORY STATS as a dict, with each db.N sub-map as a nested dict.
proc memory_stats {{client r}} {
    return [$client memory stats]
}

proc stats_keys {stats} {
    set keys {}
    foreach {k v} $stats { lappend keys $k }
    return $keys
}

# The MEMORY STATS keys of Redis 7.0, in order, without the db.N entries
# (they sit between functions.caches and overhead.total).
set ::memory_stats_head {peak.allocated total.allocated startup.allocated replication.backlog
    clients.slaves clients.normal cluster.links aof.buffer lua.caches functions.caches}
set ::memory_stats_tail {overhead.total keys.count keys.bytes-per-key dataset.bytes
    dataset.percentage peak.percentage allocator.allocated allocator.active allocator.resident
    allocator-fragmentation.ratio allocator-fragmentation.bytes allocator-rss.ratio
    allocator-rss.bytes rss-overhead.ratio rss-overhead.bytes fragmentation fragmentation.bytes}

start_server {tags {"memory"}} {

test {MEMORY USAGE of a missing key is null} {
    r del mem:missing
    assert_equal {} [r memory usage mem:missing]
    r readraw 1
    assert_equal {$-1} [r memory usage mem:missing]
    r readraw 0
    set c [redis_client]
    $c hello 3
    $c readraw 1
    assert_equal {_} [$c memory usage mem:missing]
    $c close
}

test {MEMORY USAGE argument errors} {
    r set mem:k v
    assert_error "ERR syntax error" {r memory usage mem:k samples}
    assert_error "ERR syntax error" {r memory usage mem:k foo}
    assert_error "ERR syntax error" {r memory usage mem:k foo 1}
    assert_error "ERR syntax error" {r memory usage mem:k samples -1}
    assert_error "ERR syntax error" {r memory usage mem:k samples 1 extra}
    assert_error "ERR value is not an integer or out of range" {r memory usage mem:k samples x}
    assert_error "ERR value is not an integer or out of range" {r memory usage mem:k samples 1.5}
    assert_error "ERR value is not an integer or out of range" {r memory usage mem:k samples 99999999999999999999}
    # Options are checked before the key is looked up.
    assert_error "ERR syntax error" {r memory usage mem:missing foo}
    assert_error "ERR wrong number of arguments for 'memory|usage' command" {r memory usage}
    # SAMPLES is case-insensitive, may repeat (the last one wins) and 0
    # means every element.
    assert_morethan [r memory usage mem:k SAMPLES 3] 0
    assert_morethan [r memory usage mem:k samples 1 samples 0] 0
}

test {MEMORY USAGE of strings grows with the value} {
    r set mem:s1 abc
    r set mem:s2 [string repeat x 100]
    r set mem:s3 [string repeat x 10000]
    set u1 [r memory usage mem:s1]
    set u2 [r memory usage mem:s2]
    set u3 [r memory usage mem:s3]
    assert_morethan $u1 0
    assert_morethan $u2 $u1
    assert_morethan $u3 $u2
    # At least the bytes of the value, and not wildly more.
    assert_range $u3 10000 15000
    # The key's own bytes count too.
    r set [string repeat k 500] abc
    assert_morethan [r memory usage [string repeat k 500]] [expr {$u1 + 400}]
    r del [string repeat k 500]
}

test {MEMORY USAGE: embedded strings are smaller than separate ones} {
    # 44 bytes are embedded in the key's allocation, 45 are not.
    r set mem:emb [string repeat a 44]
    r set mem:raw [string repeat a 45]
    assert_encoding embstr mem:emb
    assert_encoding raw mem:raw
    assert_morethan [r memory usage mem:raw] [r memory usage mem:emb]
    # An integer takes no more than a short string.
    r set mem:int 12345
    assert_encoding int mem:int
    assert_lessthan_equal [r memory usage mem:int] [r memory usage mem:emb]
}

test {MEMORY USAGE does not touch the key} {
    r set mem:touch v
    r debug set-active-expire 0
    r set mem:expired v px 1
    after 20
    set hits [s keyspace_hits]
    set misses [s keyspace_misses]
    r memory usage mem:touch
    # An expired key that nobody deleted yet is still measured, as Redis
    # measures it, and is not deleted by the measurement.
    assert_morethan [r memory usage mem:expired] 0
    assert_equal $hits [s keyspace_hits]
    assert_equal $misses [s keyspace_misses]
    r debug set-active-expire 1
    r del mem:expired
}

test {MEMORY USAGE looks in the selected database} {
    r select 4
    r set mem:db4 [string repeat x 1000]
    assert_morethan [r memory usage mem:db4] 1000
    r select 0
    assert_equal {} [r memory usage mem:db4]
    r select 4
    r del mem:db4
    r select 0
}

test {MEMORY USAGE of lists grows with the elements} {
    r del mem:l1 mem:l2
    r rpush mem:l1 a b c
    for {set i 0} {$i < 1000} {incr i} { r rpush mem:l2 [string repeat v 20] }
    set u1 [r memory usage mem:l1]
    set u2 [r memory usage mem:l2 samples 0]
    assert_morethan $u1 0
    assert_morethan $u2 $u1
    assert_range $u2 20000 80000
}

test {MEMORY USAGE SAMPLES: the estimate comes from the first nodes} {
    # At most 10 elements per node: three nodes of small elements at the
    # head, then one node per big element.  Sampling the head alone
    # underestimates the list; more samples reach the big nodes.
    r del mem:skew
    r config set list-max-listpack-size 10
    for {set i 0} {$i < 30} {incr i} { r rpush mem:skew a }
    set big [string repeat b 6000]
    for {set i 0} {$i < 50} {incr i} { r rpush mem:skew $big }
    r config set list-max-listpack-size -2
    set all [r memory usage mem:skew samples 0]
    set one [r memory usage mem:skew samples 1]
    set def [r memory usage mem:skew]
    assert_morethan $all [expr {50 * 6000}]
    assert_lessthan $one [expr {$all / 10}]
    # The default is 5 samples: the three small nodes and two big ones.
    assert_equal $def [r memory usage mem:skew samples 5]
    assert_range $def [expr {$one * 2}] [expr {$all * 0.8}]
    r del mem:skew
}

test {MEMORY USAGE: a hash in its big encoding takes more than as a listpack} {
    r del mem:h1 mem:h2
    for {set i 0} {$i < 100} {incr i} {
        r hset mem:h1 field$i value$i
        r hset mem:h2 field$i value$i
    }
    assert_encoding listpack mem:h1
    # The same field on both; a lower value limit converts mem:h2 only.
    r hset mem:h1 long [string repeat x 50]
    r config set hash-max-listpack-value 10
    r hset mem:h2 long [string repeat x 50]
    r config set hash-max-listpack-value 64
    assert_encoding listpack mem:h1
    assert_encoding hashtable mem:h2
    set u1 [r memory usage mem:h1 samples 0]
    set u2 [r memory usage mem:h2 samples 0]
    assert_morethan $u2 $u1
    assert_range $u1 1000 5000
    assert_range $u2 2000 20000
}

test {MEMORY USAGE: a set of integers grows when it leaves the intset} {
    r del mem:set
    for {set i 0} {$i < 100} {incr i} { r sadd mem:set $i }
    assert_encoding intset mem:set
    set compact [r memory usage mem:set]
    assert_range $compact 200 1000
    r sadd mem:set notanumber
    assert_encoding hashtable mem:set
    assert_morethan [r memory usage mem:set samples 0] [expr {$compact * 2}]
}

test {MEMORY USAGE: a sorted set grows when it leaves the listpack} {
    r del mem:z1 mem:z2
    for {set i 0} {$i < 100} {incr i} {
        r zadd mem:z1 $i member$i
        r zadd mem:z2 $i member$i
    }
    r config set zset-max-listpack-entries 50
    r zadd mem:z2 1000 onemore
    r config set zset-max-listpack-entries 128
    r zadd mem:z1 1000 onemore
    assert_encoding listpack mem:z1
    assert_encoding skiplist mem:z2
    assert_morethan [r memory usage mem:z2 samples 0] [r memory usage mem:z1 samples 0]
}

test {MEMORY USAGE of a big hashtable is estimated from samples} {
    r del mem:bigset
    for {set i 0} {$i < 2000} {incr i} { r sadd mem:bigset member:$i }
    set exact [r memory usage mem:bigset samples 0]
    set est [r memory usage mem:bigset]
    # Every member has about the same size: the estimate is close.
    assert_range $est [expr {$exact * 0.8}] [expr {$exact * 1.2}]
    r del mem:bigset
}

test {MEMORY STATS: Redis 7.0's keys in Redis 7.0's order} {
    r flushall
    set stats [memory_stats]
    assert_equal [list {*}$::memory_stats_head {*}$::memory_stats_tail] [stats_keys $stats]
    assert_equal 0 [dict get $stats keys.count]
    assert_equal 0 [dict get $stats keys.bytes-per-key]
    foreach k {replication.backlog clients.slaves cluster.links aof.buffer} {
        assert_equal 0 [dict get $stats $k] $k
    }
}

test {MEMORY STATS: one db.N map per non-empty database} {
    r flushall
    r set mem:a 1
    r select 3
    r set mem:b 1
    r set mem:c 1
    r expire mem:c 100
    r select 0
    set stats [memory_stats]
    assert_equal [list {*}$::memory_stats_head db.0 db.3 {*}$::memory_stats_tail] [stats_keys $stats]
    set db3 [dict get $stats db.3]
    assert_equal {overhead.hashtable.main overhead.hashtable.expires overhead.hashtable.slot-to-keys} [stats_keys $db3]
    assert_morethan [dict get $db3 overhead.hashtable.main] 0
    assert_morethan [dict get $db3 overhead.hashtable.expires] 0
    assert_equal 0 [dict get $db3 overhead.hashtable.slot-to-keys]
    # db.0 has no TTL: its index costs at most its empty table.
    assert_lessthan [dict get [dict get $stats db.0] overhead.hashtable.expires] [dict get $db3 overhead.hashtable.expires]
    assert_equal 3 [dict get $stats keys.count]
    r flushall
}

test {MEMORY STATS figures add up} {
    r flushall
    r debug populate 2000 mem 100
    set stats [memory_stats]
    set total [dict get $stats total.allocated]
    set startup [dict get $stats startup.allocated]
    set overhead [dict get $stats overhead.total]
    set dataset [dict get $stats dataset.bytes]
    assert_equal $total [expr {$overhead + $dataset}]
    assert_morethan $total $startup
    assert_morethan_equal $overhead $startup
    assert_morethan $dataset [expr {2000 * 100}]
    assert_equal 2000 [dict get $stats keys.count]
    assert_equal [expr {($total - $startup) / 2000}] [dict get $stats keys.bytes-per-key]
    set perc [dict get $stats dataset.percentage]
    assert_range $perc [expr {100.0 * $dataset / ($total - $startup) - 0.01}] [expr {100.0 * $dataset / ($total - $startup) + 0.01}]
    assert_range [dict get $stats peak.percentage] 1 101
    assert_morethan [dict get $stats allocator.allocated] 0
    assert_morethan_equal [dict get $stats allocator.resident] [dict get $stats allocator.active]
    assert_morethan [dict get $stats fragmentation] 0
    assert_morethan [dict get $stats clients.normal] 0
    r flushall
}

test {MEMORY STATS agrees with INFO memory} {
    r flushall
    r debug populate 1000 mem 50
    set stats [memory_stats]
    set info [r info memory]
    regexp {used_memory_startup:(\d+)} $info -> startup
    regexp {used_memory:(\d+)} $info -> used
    regexp {used_memory_overhead:(\d+)} $info -> overhead
    assert_equal $startup [dict get $stats startup.allocated]
    # Two instants apart by one command: close, not equal.
    assert_range [dict get $stats total.allocated] [expr {$used * 0.95}] [expr {$used * 1.05}]
    assert_range [dict get $stats overhead.total] [expr {$overhead * 0.9}] [expr {$overhead * 1.1}]
    r flushall
}

test {MEMORY STATS ratios are doubles in RESP3, bulk strings in RESP2} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    $c write "*2\r\n\$6\r\nMEMORY\r\n\$5\r\nSTATS\r\n"
    $c flush
    set head [$c read]
    assert_match {%*} $head
    set n [string range $head 1 end]
    set doubles {}
    set ints 0
    for {set i 0} {$i < $n} {incr i} {
        $c read ;# $len
        set key [$c read]
        set v [$c read]
        if {[string index $v 0] eq "%"} {
            # db.N: three integer fields
            for {set j 0} {$j < 6} {incr j} { $c read }
            continue
        }
        if {[string index $v 0] eq ","} { lappend doubles $key } else { assert_match {:*} $v $key; incr ints }
    }
    assert_equal {dataset.percentage peak.percentage allocator-fragmentation.ratio allocator-rss.ratio rss-overhead.ratio fragmentation} $doubles
    $c close
    # RESP2: a flat array, ratios as bulk strings holding a number.
    set stats [r memory stats]
    assert_equal 0 [expr {[llength $stats] % 2}]
    assert {[string is double -strict [dict get $stats fragmentation]]}
}

test {MEMORY DOCTOR answers with a report} {
    set report [r memory doctor]
    assert_morethan [string length $report] 20
    set c [redis_client]
    $c hello 3
    $c readraw 1
    $c write "*2\r\n\$6\r\nMEMORY\r\n\$6\r\nDOCTOR\r\n"
    $c flush
    assert_match {=*} [$c read]
    assert_match {txt:*} [$c read]
    $c close
}

test {MEMORY DOCTOR reports memory far below its peak} {
    r flushall
    r select 9
    r debug populate 60000 keep 100
    r select 10
    r debug populate 200000 drop 100
    r flushdb
    r select 0
    set report [r memory doctor]
    assert {[string match -nocase *peak* $report]} $report
    r flushall
}

test {MEMORY MALLOC-STATS shows the allocator's report} {
    set text [r memory malloc-stats]
    if {[string match jemalloc* [s mem_allocator]]} {
        assert_match {*Begin jemalloc statistics*} $text
        assert_match {*End jemalloc statistics*} $text
    } else {
        assert_equal {Stats not supported for the current allocator} $text
    }
}

test {MEMORY PURGE returns freed pages to the OS} {
    r flushall
    r debug populate 100000 purge 100
    r flushall
    set before [dict get [memory_stats] allocator.resident]
    assert_equal OK [r memory purge]
    set after [dict get [memory_stats] allocator.resident]
    # jemalloc's own figure; with libc "resident" is the process RSS, which
    # other activity moves too.
    if {[string match jemalloc* [s mem_allocator]]} {
        assert_lessthan_equal $after $before
    }
}

test {MEMORY HELP lists the subcommands} {
    set help [r memory help]
    assert_equal {MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:} [lindex $help 0]
    foreach sub {DOCTOR MALLOC-STATS PURGE STATS USAGE HELP} {
        assert {[lsearch -glob $help "$sub*"] >= 0} "$sub missing from MEMORY HELP"
    }
}

test {MEMORY arity and unknown subcommands} {
    assert_error "ERR wrong number of arguments for 'memory' command" {r memory}
    assert_error "ERR wrong number of arguments for 'memory|stats' command" {r memory stats x}
    assert_error "ERR wrong number of arguments for 'memory|doctor' command" {r memory doctor x}
    assert_error "ERR wrong number of arguments for 'memory|purge' command" {r memory purge x}
    assert_error "ERR wrong number of arguments for 'memory|malloc-stats' command" {r memory malloc-stats x}
    assert_error "ERR unknown subcommand 'foo'. Try MEMORY HELP." {r memory foo}
}

}

tags {ringkv-only} {
start_server {tags {"memory"}} {
    test {MEMORY USAGE counts a key's TTL} {
        # ringkv keeps volatile keys in an index with one node per key.
        r set mem:ttl [string repeat x 20]
        set without [r memory usage mem:ttl]
        r expire mem:ttl 1000
        assert_morethan [r memory usage mem:ttl] $without
    }
}
}
