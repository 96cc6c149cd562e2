# other.tcl: whole-database commands.
#
# Covers DBSIZE, FLUSHDB, FLUSHALL (SYNC and ASYNC) and SWAPDB: which
# databases they affect, what happens to TTLs, their error texts, and how
# they count in the changes-since-last-save statistic.

start_server {tags {"other"}} {

test {DBSIZE counts the keys of the selected database} {
    r flushall
    assert_equal 0 [r dbsize]
    r set a 1
    r set b 1
    assert_equal 2 [r dbsize]
    r select 9
    assert_equal 0 [r dbsize]
    r select 0
    r del a
    assert_equal 1 [r dbsize]
    assert_error "*wrong number of arguments for 'dbsize' command*" {r dbsize x}
}

test {FLUSHDB empties only the selected database} {
    r flushall
    r select 9
    r set a 1
    r set b 1
    r expire b 100
    r select 10
    r set c 1
    r select 9
    assert_equal OK [r flushdb]
    assert_equal 0 [r dbsize]
    assert_equal 0 [r exists a]
    r select 10
    assert_equal 1 [r dbsize]
    r select 9
}

test {FLUSHALL empties every database} {
    r flushall
    foreach db {0 5 9 15} {
        r select $db
        r set k$db v
        r set t$db v
        r expire t$db 100
    }
    assert_equal OK [r flushall]
    foreach db {0 5 9 15} {
        r select $db
        assert_equal 0 [r dbsize]
        assert_equal {} [r keys *]
    }
    r select 9
}

test {FLUSHDB and FLUSHALL with SYNC and ASYNC} {
    foreach cmd {flushdb flushall} {
        foreach mode {sync async SYNC ASYNC} {
            r flushall
            debug_populate 1000 key
            r set big [string repeat x 100000]
            assert_equal OK [r $cmd $mode]
            assert_equal 0 [r dbsize]
            # The database is usable at once, whatever happens in background.
            r set after 1
            assert_equal 1 [r get after]
        }
    }
}

test {FLUSHDB and FLUSHALL option errors} {
    r flushall
    r set a 1
    assert_error "ERR syntax error" {r flushdb foo}
    assert_error "ERR syntax error" {r flushall foo}
    assert_error "ERR syntax error" {r flushdb sync async}
    assert_error "ERR syntax error" {r flushall async async}
    assert_equal 1 [r dbsize]
}

test {SWAPDB exchanges the contents of two databases} {
    r flushall
    r select 9
    r set a in9
    r expire a 100
    r select 10
    r set b in10
    assert_equal OK [r swapdb 9 10]
    assert_equal in9 [r get a]
    assert_range [r ttl a] 90 100
    assert_equal 0 [r exists b]
    r select 9
    assert_equal in10 [r get b]
    assert_equal -1 [r ttl b]
    assert_equal 0 [r exists a]
}

test {SWAPDB with an empty database moves everything over} {
    r flushall
    r select 9
    debug_populate 100 key
    assert_equal OK [r swapdb 11 9]
    assert_equal 0 [r dbsize]
    r select 11
    assert_equal 100 [r dbsize]
    r select 9
}

test {SWAPDB of a database with itself is a no-op} {
    r flushall
    r select 9
    r set a 1
    assert_equal OK [r swapdb 9 9]
    assert_equal 1 [r get a]
}

test {SWAPDB errors} {
    assert_error "ERR invalid first DB index" {r swapdb abc 1}
    assert_error "ERR invalid second DB index" {r swapdb 1 abc}
    assert_error "ERR invalid first DB index" {r swapdb 99999999999 1}
    assert_error "ERR invalid second DB index" {r swapdb 1 1.5}
    assert_error "ERR DB index is out of range" {r swapdb 0 16}
    assert_error "ERR DB index is out of range" {r swapdb -1 0}
    assert_error "*wrong number of arguments for 'swapdb' command*" {r swapdb 1}
}

test {Lazy expiry still works after SWAPDB} {
    r flushall
    r select 9
    r set k v
    r pexpire k 100
    r swapdb 9 10
    r select 10
    assert_range [r pttl k] 1 100
    after 200
    assert_equal 0 [r exists k]
    r select 9
}

test {FLUSHDB and FLUSHALL count one change per key removed} {
    r flushall
    set before [s rdb_changes_since_last_save]
    r flushdb
    r flushall
    assert_equal $before [s rdb_changes_since_last_save]
    r set a 1
    r set b 1
    set before [s rdb_changes_since_last_save]
    r flushdb
    assert_equal [expr {$before + 2}] [s rdb_changes_since_last_save]
    r set a 1
    r set b 1
    r select 10
    r set c 1
    r select 9
    set before [s rdb_changes_since_last_save]
    r flushall
    assert_equal [expr {$before + 3}] [s rdb_changes_since_last_save]
}

test {SWAPDB counts as a change} {
    set before [s rdb_changes_since_last_save]
    r swapdb 0 1
    r swapdb 2 2
    assert_equal [expr {$before + 2}] [s rdb_changes_since_last_save]
}

}
