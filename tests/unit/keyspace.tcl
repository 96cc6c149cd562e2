# keyspace.tcl: the generic key commands.
#
# Covers DEL, UNLINK, EXISTS, TYPE, KEYS, RANDOMKEY, RENAME, RENAMENX, MOVE,
# COPY, TOUCH and OBJECT: replies, error texts, what each one does to the
# value and the TTL of the keys involved, and the keyspace events they fire.
# Tests that need DEBUG (to freeze active expiry) are tagged needs:debug.

# Reads pmessage notifications from a deferring client subscribed with
# PSUBSCRIBE and returns them as "event key" pairs (keyevent channels) or
# "channel key" for keyspace channels, in arrival order.
proc keyspace_read_events {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel payload
        lappend out [list $channel $payload]
    }
    return $out
}

start_server {tags {"keyspace"}} {

test {DEL returns the number of keys removed} {
    r flushdb
    r set a 1
    r set b 2
    r set c 3
    assert_equal 2 [r del a b nokey]
    assert_equal 0 [r exists a]
    assert_equal 0 [r exists b]
    assert_equal 1 [r exists c]
    assert_equal 0 [r del a]
}

test {DEL counts a repeated key once} {
    r flushdb
    r set a 1
    assert_equal 1 [r del a a a]
    assert_equal 0 [r dbsize]
}

test {UNLINK removes keys and counts them like DEL} {
    r flushdb
    r set a 1
    r set big [string repeat x 100000]
    assert_equal 2 [r unlink a big missing]
    assert_equal 0 [r dbsize]
    assert_equal 0 [r unlink a]
}

test {DEL and UNLINK arity} {
    assert_error "*wrong number of arguments for 'del' command*" {r del}
    assert_error "*wrong number of arguments for 'unlink' command*" {r unlink}
}

test {DEL does not count a key that has already expired} {
    r flushdb
    r debug set-active-expire 0
    r set a 1
    r pexpire a 1
    after 20
    assert_equal 0 [r del a]
    assert_equal 0 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {EXISTS counts every argument, repeats included} {
    r flushdb
    r set a 1
    r set b 2
    assert_equal 1 [r exists a]
    assert_equal 0 [r exists nokey]
    assert_equal 3 [r exists a a b]
    assert_equal 2 [r exists a nokey b nokey]
    r del a
    assert_equal 1 [r exists a b]
}

test {TYPE of a string and of a missing key} {
    r set s hello
    r set n 12345
    assert_equal string [r type s]
    assert_equal string [r type n]
    assert_equal none [r type nokey]
}

test {TYPE replies with a status, not a bulk string} {
    r set s hello
    r readraw 1
    assert_equal +string [r type s]
    assert_equal +none [r type nokey]
    r readraw 0
}

test {KEYS with every glob feature} {
    r flushdb
    foreach k {foo foa fob fo fooo bar baz {a*b} {a?b} axb {x[y}} {
        r set $k 1
    }
    assert_equal [lsort {foo foa fob fo fooo bar baz {a*b} {a?b} axb {x[y}}] [lsort [r keys *]]
    assert_equal {fo foa fob foo fooo} [lsort [r keys fo*]]
    assert_equal {foa fob foo} [lsort [r keys fo?]]
    assert_equal {foa fob} [lsort [r keys {fo[ab]}]]
    assert_equal {foo} [lsort [r keys {fo[^ab]}]]
    assert_equal {foa fob} [lsort [r keys {fo[a-b]}]]
    assert_equal {a*b} [r keys {a\*b}]
    assert_equal [lsort {a*b a?b axb}] [lsort [r keys {a?b}]]
    assert_equal {a?b} [r keys {a\?b}]
    assert_equal [list {x[y}] [r keys {x\[y}]
    assert_equal {bar baz} [lsort [r keys {*a[rz]}]]
    assert_equal {} [r keys nomatch*]
    assert_equal {foo} [r keys foo]
}

test {KEYS matches binary key names} {
    r flushdb
    r set "a\x00b" 1
    r set "a\x00c" 1
    assert_equal [list "a\x00b" "a\x00c"] [lsort [r keys "a\x00*"]]
}

test {KEYS in an empty database} {
    r flushdb
    assert_equal {} [r keys *]
}

test {KEYS on many keys returns each key once} {
    r flushdb
    debug_populate 5000 k
    set keys [r keys *]
    assert_equal 5000 [llength $keys]
    assert_equal 5000 [llength [lsort -unique $keys]]
    assert_equal 1111 [llength [r keys k:1*]]
}

test {KEYS skips expired keys without deleting them} {
    r flushdb
    r debug set-active-expire 0
    r set live 1
    r set gone 1
    r pexpire gone 1
    after 20
    assert_equal {live} [r keys *]
    # KEYS only hides the key: it is still counted until something expires it.
    assert_equal 2 [r dbsize]
    assert_equal 0 [r exists gone]
    assert_equal 1 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {RANDOMKEY on an empty database is null} {
    r flushdb
    assert_equal {} [r randomkey]
    r readraw 1
    assert_equal {$-1} [r randomkey]
    r readraw 0
}

test {RANDOMKEY returns existing keys, eventually all of them} {
    r flushdb
    r set a 1
    r set b 2
    r set c 3
    set seen {}
    for {set i 0} {$i < 200} {incr i} {
        set k [r randomkey]
        assert {$k in {a b c}}
        dict set seen $k 1
    }
    assert_equal {a b c} [lsort [dict keys $seen]]
}

test {RANDOMKEY with one key} {
    r flushdb
    r set only 1
    assert_equal only [r randomkey]
}

test {RANDOMKEY never returns an expired key} {
    r flushdb
    r debug set-active-expire 0
    r set live 1
    for {set i 0} {$i < 20} {incr i} {
        r set gone$i 1
        r pexpire gone$i 1
    }
    after 20
    for {set i 0} {$i < 50} {incr i} {
        assert_equal live [r randomkey]
    }
    r debug set-active-expire 1
} {needs:debug}

test {RENAME moves the value to the new name} {
    r flushdb
    r set src hello
    assert_equal OK [r rename src dst]
    assert_equal 0 [r exists src]
    assert_equal hello [r get dst]
}

test {RENAME keeps the TTL of the source} {
    r flushdb
    r set src v
    r expire src 100
    r rename src dst
    assert_range [r ttl dst] 90 100
}

test {RENAME over an existing key replaces value and TTL} {
    r flushdb
    r set src v1
    r set dst v2
    r expire dst 100
    r rename src dst
    assert_equal v1 [r get dst]
    assert_equal -1 [r ttl dst]
    assert_equal 1 [r dbsize]
}

test {RENAME of a missing key is an error} {
    r flushdb
    assert_error "ERR no such key" {r rename nokey dst}
    assert_error "ERR no such key" {r rename nokey nokey}
    assert_equal 0 [r exists dst]
}

test {RENAME a key to itself} {
    r set same v
    r expire same 100
    assert_equal OK [r rename same same]
    assert_equal v [r get same]
    assert_range [r ttl same] 90 100
}

test {RENAME keeps an integer-encoded value intact} {
    r flushdb
    r set n 12345
    r rename n m
    assert_equal 12345 [r get m]
    assert_encoding int m
}

test {RENAME of an expired key is an error} {
    r flushdb
    r debug set-active-expire 0
    r set src v
    r pexpire src 1
    after 20
    assert_error "ERR no such key" {r rename src dst}
    assert_equal 0 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {RENAMENX} {
    r flushdb
    r set a 1
    r set b 2
    assert_equal 0 [r renamenx a b]
    assert_equal 1 [r get a]
    assert_equal 2 [r get b]
    assert_equal 1 [r renamenx a c]
    assert_equal 0 [r exists a]
    assert_equal 1 [r get c]
    assert_error "ERR no such key" {r renamenx nokey x}
    assert_equal 0 [r renamenx c c]
}

test {RENAMENX over an expired destination succeeds} {
    r flushdb
    r debug set-active-expire 0
    r set a new
    r set b old
    r pexpire b 1
    after 20
    assert_equal 1 [r renamenx a b]
    assert_equal new [r get b]
    assert_equal -1 [r ttl b]
    r debug set-active-expire 1
} {needs:debug}

test {MOVE a key to another database} {
    r flushall
    r select 9
    r set k v
    r expire k 100
    assert_equal 1 [r move k 10]
    assert_equal 0 [r exists k]
    r select 10
    assert_equal v [r get k]
    assert_range [r ttl k] 90 100
    r select 9
}

test {MOVE does not overwrite a key in the target database} {
    r flushall
    r select 9
    r set k src
    r select 10
    r set k dst
    r select 9
    assert_equal 0 [r move k 10]
    assert_equal src [r get k]
    r select 10
    assert_equal dst [r get k]
    r select 9
}

test {MOVE of a missing key returns 0} {
    r flushall
    r select 9
    assert_equal 0 [r move nokey 10]
}

test {MOVE errors} {
    r select 9
    r set k v
    assert_error "ERR source and destination objects are the same" {r move k 9}
    assert_error "ERR DB index is out of range" {r move k 16}
    assert_error "ERR DB index is out of range" {r move k -1}
    assert_error "ERR value is not an integer or out of range" {r move k abc}
    assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r move k 99999999999}
    assert_error "ERR value is not an integer or out of range" {r move k 1.5}
    assert_error "*wrong number of arguments for 'move' command*" {r move k}
    assert_equal v [r get k]
}

test {COPY to a new key} {
    r flushall
    r set src hello
    assert_equal 1 [r copy src dst]
    assert_equal hello [r get src]
    assert_equal hello [r get dst]
}

test {COPY makes an independent value} {
    r flushall
    r set src hello
    r copy src dst
    r append dst _world
    assert_equal hello [r get src]
    assert_equal hello_world [r get dst]
    r set src2 [string repeat x 200]
    r copy src2 dst2
    r append src2 y
    assert_equal [string repeat x 200] [r get dst2]
}

test {COPY keeps the encoding of the value} {
    r flushall
    r set n 4242
    r copy n m
    assert_encoding int m
    r set e short
    r copy e f
    assert_encoding embstr f
    assert_equal 4242 [r get m]
    assert_equal short [r get f]
}

test {COPY copies the TTL} {
    r flushall
    r set src v
    r expire src 100
    r copy src dst
    assert_range [r ttl dst] 90 100
    r persist src
    r copy src dst2
    assert_equal -1 [r ttl dst2]
}

test {COPY does not overwrite without REPLACE} {
    r flushall
    r set src new
    r set dst old
    assert_equal 0 [r copy src dst]
    assert_equal old [r get dst]
}

test {COPY with REPLACE overwrites value and TTL} {
    r flushall
    r set src new
    r set dst old
    r expire dst 100
    assert_equal 1 [r copy src dst REPLACE]
    assert_equal new [r get dst]
    assert_equal -1 [r ttl dst]
    assert_equal 1 [r copy src dst replace]
}

test {COPY of a missing key returns 0} {
    r flushall
    assert_equal 0 [r copy nokey dst]
    assert_equal 0 [r exists dst]
}

test {COPY to another database} {
    r flushall
    r select 9
    r set src v
    r expire src 100
    assert_equal 1 [r copy src dst DB 10]
    assert_equal v [r get src]
    assert_equal 0 [r exists dst]
    r select 10
    assert_equal v [r get dst]
    assert_range [r ttl dst] 90 100
    r select 9
    # The same name is allowed when the database differs.
    assert_equal 1 [r copy src src db 11]
    r select 11
    assert_equal v [r get src]
    r select 9
    assert_equal 0 [r copy src src db 11]
    assert_equal 1 [r copy src src db 11 replace]
}

test {COPY errors} {
    r flushall
    r set src v
    assert_error "ERR source and destination objects are the same" {r copy src src}
    assert_error "ERR source and destination objects are the same" {r copy nokey nokey}
    assert_error "ERR DB index is out of range" {r copy src dst db 16}
    assert_error "ERR DB index is out of range" {r copy src dst db -1}
    assert_error "ERR value is not an integer or out of range" {r copy src dst db abc}
    assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r copy src dst db 99999999999}
    assert_error "ERR syntax error" {r copy src dst foo}
    assert_error "ERR syntax error" {r copy src dst db}
    assert_error "*wrong number of arguments for 'copy' command*" {r copy src}
    assert_equal 0 [r exists dst]
}

test {COPY of an expired source returns 0} {
    r flushall
    r debug set-active-expire 0
    r set src v
    r pexpire src 1
    after 20
    assert_equal 0 [r copy src dst]
    assert_equal 0 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {TOUCH counts existing keys} {
    r flushall
    r set a 1
    r set b 1
    assert_equal 2 [r touch a b nokey]
    assert_equal 3 [r touch a a b]
    assert_equal 0 [r touch nokey]
}

test {OBJECT ENCODING of strings} {
    r flushall
    r set n 12345
    r set s hello
    r set raw [string repeat x 100]
    assert_equal int [r object encoding n]
    assert_equal embstr [r object encoding s]
    assert_equal raw [r object encoding raw]
    assert_equal int [r OBJECT ENCODING n]
}

test {OBJECT on a missing key is null} {
    r flushall
    r readraw 1
    assert_equal {$-1} [r object encoding nokey]
    assert_equal {$-1} [r object refcount nokey]
    assert_equal {$-1} [r object idletime nokey]
    r readraw 0
}

test {OBJECT REFCOUNT} {
    r flushall
    r set s hello
    assert_equal 1 [r object refcount s]
    # Small integers are shared objects in Redis: the count is the pinned value.
    r set small 100
    assert_equal 2147483647 [r object refcount small]
    r set big 10000
    assert_equal 1 [r object refcount big]
    r set neg -1
    assert_equal 1 [r object refcount neg]
}

test {OBJECT IDLETIME grows while the key is idle and TOUCH resets it} {
    r flushall
    r set a 1
    r set b 1
    after 2200
    assert_range [r object idletime a] 1 4
    # OBJECT and TYPE/EXISTS do not count as an access.
    r type a
    r exists a
    assert_range [r object idletime a] 1 4
    r touch a
    assert_range [r object idletime a] 0 1
    r get b
    assert_range [r object idletime b] 0 1
}

test {OBJECT FREQ needs an LFU policy, IDLETIME refuses one} {
    r flushall
    r set a 1
    set old [lindex [r config get maxmemory-policy] 1]
    assert_error "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust." {r object freq a}
    r config set maxmemory-policy allkeys-lfu
    assert_error "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust." {r object idletime a}
    r set b 1
    set f [r object freq b]
    assert {[string is integer -strict $f] && $f >= 0 && $f <= 255}
    r config set maxmemory-policy $old
    assert_range [r object idletime a] 0 1000000
}

test {OBJECT HELP and bad subcommands} {
    set help [r object help]
    assert_match "OBJECT <subcommand>*" [lindex $help 0]
    foreach sub {ENCODING FREQ IDLETIME REFCOUNT HELP} {
        assert {[lsearch -glob $help "$sub*"] >= 0}
    }
    assert_error "*unknown subcommand*" {r object nosuch k}
    assert_error "*wrong number of arguments*" {r object encoding}
    assert_error "*wrong number of arguments*" {r object encoding a b}
}

test {Keyspace events of DEL, RENAME, MOVE, COPY, EXPIRE and PERSIST} {
    r flushall
    r select 9
    r config set notify-keyspace-events KEg
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r set a 1
    r del a nokey
    r set src 1
    r rename src dst
    r move dst 10
    r set x 1
    r copy x y db 11
    r expire x 100
    r persist x
    r expire x -1
    set got [keyspace_read_events $c 9]
    assert_equal [list \
        {__keyevent@9__:del a} \
        {__keyevent@9__:rename_from src} \
        {__keyevent@9__:rename_to dst} \
        {__keyevent@9__:move_from dst} \
        {__keyevent@10__:move_to dst} \
        {__keyevent@11__:copy_to y} \
        {__keyevent@9__:expire x} \
        {__keyevent@9__:persist x} \
        {__keyevent@9__:del x} \
    ] $got
    $c close
    r config set notify-keyspace-events ""
} {needs:pubsub}

test {No events when nothing changes} {
    r flushall
    r select 9
    r config set notify-keyspace-events KEg
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r del nokey
    r set a 1
    r set b 1
    r renamenx a b
    r move nokey 10
    r copy a b
    r expire nokey 10
    r persist a
    r expire a 100 xx
    # A marker event: nothing above may have produced one before it.
    r del b
    assert_equal {{__keyevent@9__:del b}} [keyspace_read_events $c 1]
    $c close
    r config set notify-keyspace-events ""
} {needs:pubsub}

test {Keyspace channel names carry the key} {
    r flushall
    r select 9
    r config set notify-keyspace-events Kg
    set c [redis_deferring_client]
    $c psubscribe {__keyspace@9__:*}
    $c read
    r set a 1
    r rename a b
    assert_equal {{__keyspace@9__:a rename_from} {__keyspace@9__:b rename_to}} \
        [keyspace_read_events $c 2]
    $c close
    r config set notify-keyspace-events ""
} {needs:pubsub}

test {DEL and UNLINK count as changes} {
    r flushall
    set before [s rdb_changes_since_last_save]
    r set a 1
    r set b 1
    r set c 1
    r del a b nokey
    r unlink c
    r del nokey
    assert_equal [expr {$before + 6}] [s rdb_changes_since_last_save]
}

}

# Found by the differential test (tests/support/difftest.tcl) against Redis
# 7.0.
start_server {tags {"keyspace"}} {
    test {OBJECT REFCOUNT: COPY duplicates a small integer, until it is replaced} {
        r flushall
        r set a 1
        r copy a b
        assert_equal 2147483647 [r object refcount a]
        assert_equal 1 [r object refcount b]
        # The duplicate goes where the value goes.
        r expire b 1000
        r rename b c
        assert_equal 1 [r object refcount c]
        r persist c
        assert_equal 1 [r object refcount c]
        # A new value is a shared one again, INCR's result too.
        r incr c
        assert_equal 2147483647 [r object refcount c]
        r copy a d
        r set d 1
        assert_equal 2147483647 [r object refcount d]
    }

    test {KEYS: only "*" alone covers the empty key name} {
        r flushall
        r set "" v
        r set k v
        assert_equal {{} k} [lsort [r keys *]]
        assert_equal {k} [r keys **]
        assert_equal {{}} [r keys ""]
    }
}
