# multi.tcl: transactions and optimistic locking.
#
# Covers MULTI, EXEC, DISCARD, WATCH and UNWATCH: the +QUEUED protocol, the
# exact errors, how a refused command dooms a transaction (EXECABORT) while
# a failing one does not roll anything back, and every way a WATCHed key
# can change under a transaction: writes by anyone, expiry (lazy, active,
# and keys already expired when watched), eviction, FLUSHDB/FLUSHALL,
# SWAPDB, RESTORE, MOVE, RENAME.  Also: blocking commands inside a
# transaction, RESP3 shapes, CLIENT LIST's multi= field, RESET and
# disconnects in the middle of a transaction, and a transaction running
# while a snapshot is being written.  Tests that freeze the active expire
# cycle with DEBUG are tagged needs:debug; those needing lists, which are
# not built yet, needs:types.

# A second connection, for changes made by "someone else".
proc multi_other {} {
    return [redis_client]
}

# The raw lines of the next reply of client c after sending `args`.
proc multi_raw {c nlines args} {
    $c readraw 1
    $c send {*}$args
    set out {}
    for {set i 0} {$i < $nlines} {incr i} { lappend out [$c read] }
    $c readraw 0
    return $out
}

# The field `name` of CLIENT LIST's line for client `id`.
proc multi_client_field {id name} {
    foreach line [split [r client list] "\n"] {
        if {[string match "id=$id *" $line]} {
            foreach kv [split [string trim $line] " "] {
                lassign [split $kv =] k v
                if {$k eq $name} { return $v }
            }
        }
    }
    return ""
}

start_server {tags {"multi"}} {

test {MULTI queues commands and EXEC runs them in order} {
    r flushall
    assert_equal OK [r multi]
    assert_equal QUEUED [r set a 1]
    assert_equal QUEUED [r incr a]
    assert_equal QUEUED [r get a]
    assert_equal QUEUED [r del a]
    assert_equal {OK 2 2 1} [r exec]
    assert_equal 0 [r exists a]
}

test {Nothing runs before EXEC} {
    r flushall
    set other [multi_other]
    r multi
    r set a 1
    r sadd s x
    assert_equal 0 [$other exists a s]
    r exec
    assert_equal 2 [$other exists a s]
    $other close
}

test {EXEC of an empty transaction is an empty array} {
    r multi
    assert_equal {} [r exec]
    set c [redis_client]
    assert_equal {+OK} [multi_raw $c 1 multi]
    assert_equal {*0} [multi_raw $c 1 exec]
    $c close
}

test {The raw protocol of a transaction} {
    set c [redis_client]
    assert_equal {+OK} [multi_raw $c 1 multi]
    assert_equal {+QUEUED} [multi_raw $c 1 set k v]
    assert_equal {+QUEUED} [multi_raw $c 1 get k]
    assert_equal {*2 +OK $1 v} [join [multi_raw $c 4 exec]]
    $c close
}

test {Nested MULTI is an error that does not doom the transaction} {
    r flushall
    r multi
    assert_error {ERR MULTI calls can not be nested} {r multi}
    r set a 1
    assert_equal {OK} [r exec]
    assert_equal 1 [r get a]
}

test {EXEC and DISCARD without MULTI} {
    assert_error {ERR EXEC without MULTI} {r exec}
    assert_error {ERR DISCARD without MULTI} {r discard}
}

test {DISCARD drops the queue and leaves MULTI} {
    r flushall
    r multi
    r set a 1
    r incr b
    assert_equal OK [r discard]
    assert_equal 0 [r exists a b]
    assert_error {ERR EXEC without MULTI} {r exec}
    # Commands run normally again.
    assert_equal OK [r set a 2]
}

test {An unknown command inside MULTI aborts the transaction} {
    r flushall
    r multi
    r set a 1
    assert_error {ERR unknown command 'nosuchcommand', with args beginning with: 'x' } {r nosuchcommand x}
    r set b 1
    assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    assert_equal 0 [r exists a b]
    # The transaction is over.
    assert_error {ERR EXEC without MULTI} {r exec}
}

test {A wrong number of arguments inside MULTI aborts the transaction} {
    r flushall
    r multi
    r set a 1
    assert_error {ERR wrong number of arguments for 'get' command} {r get}
    assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    assert_equal 0 [r exists a]
}

test {An unknown subcommand inside MULTI aborts the transaction} {
    r flushall
    r multi
    r set a 1
    assert_error {ERR unknown subcommand 'nosuch'. Try CONFIG HELP.} {r config nosuch}
    assert_error {EXECABORT*} {r exec}
    assert_equal 0 [r exists a]
}

test {Arity errors of MULTI and DISCARD inside MULTI abort it too} {
    r flushall
    r multi
    r set a 1
    assert_error {ERR wrong number of arguments for 'multi' command} {r multi x}
    assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    r multi
    r set a 1
    assert_error {ERR wrong number of arguments for 'discard' command} {r discard x}
    assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    assert_equal 0 [r exists a]
}

test {EXEC refused by the dispatcher ends the transaction with its reason} {
    r flushall
    r multi
    r set a 1
    assert_error {EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command} {r exec x}
    assert_error {ERR EXEC without MULTI} {r exec}
    assert_equal 0 [r exists a]
    # Outside MULTI the refusal has the same shape.
    assert_error {EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command} {r exec x}
}

test {EXEC refused for NOAUTH names the reason} {
    r config set requirepass foobared
    set c [redis_client]
    assert_error {EXECABORT Transaction discarded because of: NOAUTH Authentication required.} {$c exec}
    assert_error {NOAUTH Authentication required.} {$c multi}
    assert_equal OK [$c auth foobared]
    assert_error {ERR EXEC without MULTI} {$c exec}
    $c close
    r config set requirepass ""
}

test {Errors while EXEC runs do not roll back} {
    r flushall
    r set a 1
    r multi
    r incr a
    r sadd a x
    r incr a
    r hset a f v
    r get a
    assert_error {WRONGTYPE*} {r exec}
    assert_equal 3 [r get a]
}

test {The error of a failing command is one element of EXEC's array} {
    r flushall
    r set a 1
    set c [redis_client]
    $c multi
    $c incr a
    $c sadd a x
    $c incr a
    set raw [multi_raw $c 4 exec]
    assert_equal {*3 :2} [lrange $raw 0 1]
    assert_match {-WRONGTYPE*} [lindex $raw 2]
    assert_equal {:3} [lindex $raw 3]
    $c close
}

test {QUIT inside MULTI is not queued} {
    set c [redis_client]
    $c multi
    $c set quitkey 1
    assert_equal OK [$c quit]
    assert_equal 0 [r exists quitkey]
    $c close
}

test {RESET inside MULTI discards the transaction and the watched keys} {
    r flushall
    set c [redis_client]
    $c watch w
    $c multi
    $c set a 1
    assert_equal RESET [$c reset]
    assert_error {ERR EXEC without MULTI} {$c exec}
    assert_equal 0 [r exists a]
    # w is no longer watched: changing it does not doom a new transaction.
    r set w changed
    $c multi
    $c ping
    assert_equal PONG [$c exec]
    $c close
}

test {Queued commands keep big arguments intact} {
    r flushall
    set big [string repeat "abcdefgh" 40000]
    set c [redis_client]
    $c multi
    $c set big $big
    $c append big $big
    $c strlen big
    set res [$c exec]
    assert_equal [list OK [expr {2 * [string length $big]}] [expr {2 * [string length $big]}]] $res
    # (Compared without printing half a megabyte on failure.)
    assert {[r get big] eq "$big$big"}
    $c close
}

test {A pipelined transaction} {
    r flushall
    set rd [redis_deferring_client]
    $rd multi
    for {set i 0} {$i < 200} {incr i} { $rd set k$i $i }
    $rd exec
    assert_equal OK [$rd read]
    for {set i 0} {$i < 200} {incr i} { assert_equal QUEUED [$rd read] }
    set res [$rd read]
    assert_equal 200 [llength $res]
    assert_equal 200 [r dbsize]
    assert_equal 199 [r get k199]
    $rd close
}

test {SELECT inside a transaction lasts after EXEC} {
    r flushall
    set c [redis_client]
    $c multi
    $c select 2
    $c set indb2 yes
    $c exec
    assert_equal yes [$c get indb2]
    r select 2
    assert_equal yes [r get indb2]
    r select 0
    assert_equal 0 [r exists indb2]
    $c close
}

test {Commands run by EXEC are counted in commandstats; queueing is not} {
    r config resetstat
    set c [redis_client]
    $c multi
    $c set a 1
    $c set b 2
    $c get a
    assert_no_match {*cmdstat_set:*} [r info commandstats]
    $c exec
    set info [r info commandstats]
    assert_match {*cmdstat_set:calls=2,*} $info
    assert_match {*cmdstat_get:calls=1,*} $info
    assert_match {*cmdstat_exec:calls=1,*} $info
    assert_match {*cmdstat_multi:calls=1,*} $info
    $c close
}

test {EXECABORT is counted in errorstats} {
    r config resetstat
    r multi
    catch {r nosuchcommand}
    catch {r exec}
    assert_match {*errorstat_EXECABORT:count=1*} [r info errorstats]
}

# --- WATCH -------------------------------------------------------------

test {WATCH inside MULTI is an error that does not doom the transaction} {
    r flushall
    r multi
    assert_error {ERR WATCH inside MULTI is not allowed} {r watch x}
    r set a 1
    assert_equal OK [r exec]
}

test {WATCH needs a key} {
    assert_error {ERR wrong number of arguments for 'watch' command} {r watch}
}

test {EXEC runs when no watched key changed} {
    r flushall
    r set x 1
    assert_equal OK [r watch x]
    r multi
    r incr x
    assert_equal 2 [r exec]
}

test {EXEC fails when another client changed a watched key} {
    r flushall
    r set x 1
    set other [multi_other]
    r watch x
    $other set x 2
    r multi
    r incr x
    assert_equal {} [r exec]
    assert_equal 2 [r get x]
    $other close
}

test {EXEC failing on WATCH is a null array: *-1 in RESP2, _ in RESP3} {
    r flushall
    set c [redis_client]
    $c watch x
    r set x 1
    $c multi
    $c ping
    assert_equal {*-1} [multi_raw $c 1 exec]
    $c hello 3
    $c watch x
    r set x 2
    $c multi
    $c ping
    assert_equal {_} [multi_raw $c 1 exec]
    $c close
}

test {A change by the watching client itself before MULTI dooms the transaction} {
    r flushall
    r set x 1
    r watch x
    r set x 2
    r multi
    r ping
    assert_equal {} [r exec]
}

test {Changes made by the transaction itself do not matter} {
    r flushall
    r set x 1
    r watch x
    r multi
    r set x 2
    r incr x
    assert_equal {OK 3} [r exec]
}

test {Watching a missing key: creating it dooms the transaction} {
    r flushall
    set other [multi_other]
    r watch x
    $other set x 1
    r multi
    r ping
    assert_equal {} [r exec]
    $other close
}

test {Watching a missing key: a no-op DEL does not doom the transaction} {
    r flushall
    set other [multi_other]
    r watch x
    assert_equal 0 [$other del x]
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {Deleting a watched key dooms the transaction} {
    r flushall
    r set x 1
    set other [multi_other]
    r watch x
    $other del x
    r multi
    r ping
    assert_equal {} [r exec]
    $other close
}

test {One changed key of several watched dooms the transaction} {
    r flushall
    set other [multi_other]
    r watch a b c
    $other sadd b member
    r multi
    r ping
    assert_equal {} [r exec]
    $other close
}

test {Watching the same key twice, and in two WATCH calls} {
    r flushall
    set other [multi_other]
    r watch x x
    r watch x y
    $other set y 1
    r multi
    r ping
    assert_equal {} [r exec]
    # All watches are gone after EXEC.
    $other set x 2
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {A watch is for the key in the database where WATCH ran} {
    r flushall
    r watch x
    r select 1
    r set x 1
    r multi
    r ping
    assert_equal PONG [r exec]
    r select 0
}

test {Every client watching the key is doomed} {
    r flushall
    set c1 [redis_client]
    set c2 [redis_client]
    set c3 [redis_client]
    foreach c [list $c1 $c2 $c3] { $c watch shared }
    r set shared 1
    foreach c [list $c1 $c2 $c3] {
        $c multi
        $c ping
        assert_equal {} [$c exec]
        $c close
    }
}

test {UNWATCH forgets the watched keys, even after they changed} {
    r flushall
    set other [multi_other]
    r watch x
    $other set x 1
    assert_equal OK [r unwatch]
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {UNWATCH inside MULTI is queued} {
    r flushall
    set other [multi_other]
    r watch x
    r multi
    assert_equal QUEUED [r unwatch]
    $other set x 1
    assert_equal {} [r exec]
    $other close
}

test {EXEC forgets the watched keys} {
    r flushall
    set other [multi_other]
    r watch x
    r multi
    r ping
    r exec
    $other set x 1
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {DISCARD forgets the watched keys} {
    r flushall
    set other [multi_other]
    r watch x
    r multi
    r discard
    $other set x 1
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {A failed EXEC forgets the watched keys} {
    r flushall
    set other [multi_other]
    r watch x
    $other set x 1
    r multi
    assert_equal {} [r exec]
    r multi
    r ping
    assert_equal PONG [r exec]
    $other close
}

test {Closing a client in a transaction with watched keys} {
    r flushall
    set c [redis_client]
    $c watch x y z
    $c multi
    $c set x 1
    $c close
    # The server forgot the client's watches: writing them is harmless.
    r set x 1
    r set y 1
    r del z
    assert_equal PONG [r ping]
    assert_equal 1 [r get x]
}

test {WATCH is doomed by value, TTL and type changes} {
    set other [multi_other]
    foreach change {
        {set x 2} {append x z} {incr x} {expire x 100} {persist x}
        {getdel x} {getex x ex 50} {setrange x 0 z}
    } {
        r flushall
        r set x 1
        r expire x 1000
        r watch x
        $other {*}$change
        r multi
        r ping
        assert_equal {} [r exec] "after $change"
    }
    $other close
}

test {WATCH is doomed by RENAME from and onto the key, MOVE, COPY, RESTORE} {
    set other [multi_other]
    foreach {setup change} {
        {set x 1}                {rename x y}
        {set y 1}                {rename y x}
        {set x 1}                {move x 5}
        {set y 1}                {copy y x}
        {set y 1}                {restore x 0 DUMP}
    } {
        r flushall
        r select 5
        r flushdb
        r select 0
        $other {*}$setup
        set dump [$other dump y]
        r watch x
        if {[lindex $change 0] eq "restore"} {
            $other restore x 0 $dump
        } else {
            $other {*}$change
        }
        r multi
        r ping
        assert_equal {} [r exec] "after $change"
    }
    $other close
}

test {FLUSHALL and FLUSHDB doom watchers of existing keys} {
    r flushall
    r set x 1
    r watch x
    r flushall
    r multi
    r ping
    assert_equal {} [r exec]
    r set x 1
    r watch x
    r flushdb
    r multi
    r ping
    assert_equal {} [r exec]
}

test {FLUSHALL does not doom watchers of missing keys} {
    r flushall
    r set other 1
    r watch x
    r flushall
    r multi
    r ping
    assert_equal PONG [r exec]
}

test {FLUSHDB of another database does not doom the watch} {
    r flushall
    r set x 1
    r watch x
    r select 1
    r set x 1
    r flushdb
    r select 0
    r multi
    r ping
    assert_equal PONG [r exec]
}

test {FLUSHALL ASYNC dooms the watch too} {
    r flushall
    r set x 1
    r watch x
    r flushall async
    r multi
    r ping
    assert_equal {} [r exec]
}

test {SWAPDB dooms the watch when the key is on either side} {
    r flushall
    # Missing here, present in the other database.
    r select 1
    r set x 1
    r select 0
    r watch x
    r swapdb 0 1
    r multi
    r ping
    assert_equal {} [r exec]
    # Present here, missing there.
    r flushall
    r set x 1
    r watch x
    r swapdb 0 1
    r multi
    r ping
    assert_equal {} [r exec]
    # Watched in the other database of the swap.
    r flushall
    r set x 1
    r select 1
    r watch x
    r select 0
    r swapdb 0 1
    r select 1
    r multi
    r ping
    assert_equal {} [r exec]
    r select 0
}

test {SWAPDB with the key missing on both sides leaves the watch alone} {
    r flushall
    r set unrelated 1
    r watch x
    r swapdb 0 1
    r multi
    r ping
    assert_equal PONG [r exec]
    r flushall
    r watch x
    r swapdb 0 0
    r multi
    r ping
    assert_equal PONG [r exec]
}

test {Eviction of a watched key dooms the transaction} {
    r flushall
    r set w hello
    r watch w
    set other [multi_other]
    $other config set maxmemory-policy allkeys-random
    $other config set maxmemory 1
    catch {$other set x y}
    $other config set maxmemory 0
    $other config set maxmemory-policy noeviction
    assert_equal 0 [r exists w]
    r multi
    r ping
    assert_equal {} [r exec]
    $other close
} {evict}

test {Refusing a command for OOM inside MULTI aborts the transaction} {
    r flushall
    set c [redis_client]
    $c multi
    $c set a 1
    r config set maxmemory 1
    catch {$c set b 2} e1
    # Inside MULTI even reads are refused: queuing takes memory.
    catch {$c get a} e2
    r config set maxmemory 0
    assert_match {OOM *} $e1
    assert_match {OOM *} $e2
    assert_error {EXECABORT Transaction discarded because of previous errors.} {$c exec}
    assert_equal 0 [r exists a]
    $c close
} {evict}

test {EXEC of a transaction with writes is refused for OOM with its reason} {
    r flushall
    set c [redis_client]
    $c multi
    $c set a 1
    r config set maxmemory 1
    catch {$c exec} e
    r config set maxmemory 0
    assert_equal {EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.} $e
    assert_error {ERR EXEC without MULTI} {$c exec}
    assert_equal 0 [r exists a]
    $c close
} {evict}

# --- WATCH and expiry --------------------------------------------------

test {A watched key that expires before EXEC dooms the transaction} {
    r flushall
    r debug set-active-expire 0
    r set x 1 px 100
    r watch x
    after 200
    # Nobody deleted it yet: EXEC itself notices.
    r multi
    r ping
    assert_equal {} [r exec]
    r debug set-active-expire 1
} {needs:debug}

test {A watched key deleted by the active expire cycle dooms the transaction} {
    r flushall
    r set x 1 px 50
    r watch x
    wait_for_condition 100 20 {[r dbsize] == 0} else { fail "x did not expire" }
    r multi
    r ping
    assert_equal {} [r exec]
}

test {A key already expired when watched: its deletion changes nothing} {
    r flushall
    r debug set-active-expire 0
    r set x 1 px 20
    after 50
    r watch x
    # A lazy deletion through a read.
    assert_equal {} [r get x]
    r multi
    r ping
    assert_equal PONG [r exec]
    r debug set-active-expire 1
} {needs:debug}

test {A key already expired when watched: a new value dooms the transaction} {
    r flushall
    r debug set-active-expire 0
    r set x 1 px 20
    after 50
    r watch x
    r set x 2
    r multi
    r ping
    assert_equal {} [r exec]
    r debug set-active-expire 1
} {needs:debug}

test {A key already expired when watched: FLUSHALL changes nothing} {
    r flushall
    r debug set-active-expire 0
    r set x 1 px 20
    after 50
    r watch x
    r flushall
    r multi
    r ping
    assert_equal PONG [r exec]
    r debug set-active-expire 1
} {needs:debug}

test {SWAPDB with expired keys follows their logical existence} {
    r flushall
    r debug set-active-expire 0
    # Expired here, missing there: the swap just removes an expired key.
    r set e 1 px 20
    after 50
    r watch e
    r swapdb 0 1
    r multi
    r ping
    assert_equal PONG [r exec]
    # Missing here, expired there: still logically missing.
    r flushall
    r select 1
    r set e 1 px 20
    r select 0
    after 50
    r watch e
    r swapdb 0 1
    r multi
    r ping
    assert_equal PONG [r exec]
    # Expired here, live there: a new value.
    r flushall
    r set e 1 px 20
    r select 1
    r set e 2
    r select 0
    after 50
    r watch e
    r swapdb 0 1
    r multi
    r ping
    assert_equal {} [r exec]
    r debug set-active-expire 1
} {needs:debug}

# --- blocking commands -------------------------------------------------

test {BLPOP inside MULTI on an empty list answers null at once} {
    r flushall
    set c [redis_client]
    $c multi
    $c blpop l 0
    $c brpoplpush l l2 0
    $c blmove l l2 left left 0
    $c rpush l2 x
    assert_equal {*4 *-1 $-1 $-1 :1} [join [multi_raw $c 5 exec]]
    $c close
} {needs:types}

test {BLPOP inside MULTI with data pops it} {
    r flushall
    r rpush l a b
    set c [redis_client]
    $c multi
    $c blpop l 0
    $c blpop l 0
    $c blpop l 0
    assert_equal {{l a} {l b} {}} [$c exec]
    $c close
} {needs:types}

test {BZPOPMIN inside MULTI on an empty sorted set answers null at once} {
    r flushall
    set c [redis_client]
    $c multi
    $c bzpopmin z 0
    $c zadd z 1 a
    $c bzpopmin z 0
    assert_equal {{} 1 {z a 1}} [$c exec]
    $c close
} {needs:types}

# --- RESP3 -------------------------------------------------------------

test {EXEC in RESP3 nests each command's own reply shape} {
    r flushall
    set c [redis_client]
    $c hello 3
    $c hset h f v
    $c multi
    $c hgetall h
    $c hgetall nohash
    $c get nokey
    $c incr n
    $c smembers noset
    set raw [multi_raw $c 9 exec]
    assert_equal {*5 %1 $1 f $1 v %0 _ :1} [join [lrange $raw 0 8]]
    assert_equal {~0} [multi_raw $c 1 ping]
    $c close
}

# --- CLIENT LIST -------------------------------------------------------

test {CLIENT LIST shows the number of queued commands} {
    set c [redis_client]
    set id [$c client id]
    assert_equal -1 [multi_client_field $id multi]
    $c multi
    assert_equal 0 [multi_client_field $id multi]
    $c set a 1
    $c get a
    assert_equal 2 [multi_client_field $id multi]
    $c client info
    set res [$c exec]
    set info [lindex $res 2]
    assert_match {*multi=3 *} $info
    assert_match {*flags=x *} $info
    assert_equal -1 [multi_client_field $id multi]
    $c multi
    $c ping
    $c discard
    assert_equal -1 [multi_client_field $id multi]
    $c close
}

# --- snapshots ---------------------------------------------------------

test {A transaction during BGSAVE is all-or-nothing in the file} {
    r flushall
    r debug populate 50000 key 10
    r set a old-a
    r set b old-b
    # Slow the save down enough to run the transaction in the middle:
    # ringkv writes in slices, Redis forks (and can be made to crawl).
    catch {r config set snapshot-slice-us 50}
    catch {r config set rdb-key-save-delay 20}
    r bgsave
    assert_equal 1 [s rdb_bgsave_in_progress]
    r multi
    r set a new-a
    r set b new-b
    assert_equal {OK OK} [r exec]
    assert_equal 1 [s rdb_bgsave_in_progress]
    catch {r config set rdb-key-save-delay 0}
    wait_for_condition 600 50 {[s rdb_bgsave_in_progress] == 0} else {
        fail "BGSAVE did not finish"
    }
    assert_equal ok [s rdb_last_bgsave_status]
    assert_equal {new-a new-b} [r mget a b]
    restart_server 0 1
    # The save started before the transaction: neither write is in it.
    assert_equal {old-a old-b} [r mget a b]
    assert_equal 50002 [r dbsize]
} {needs:debug}

}
