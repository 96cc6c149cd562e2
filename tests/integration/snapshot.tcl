# snapshot.tcl: fork-less snapshots (BGSAVE, SAVE, save points, loading).
#
# The central property: the file holds exactly the data as of the moment
# BGSAVE returned, whatever is written while it runs.  DEBUG DIGEST taken at
# that moment is compared with the digest after restarting from the file.

proc snap_wait_done {{level 0}} {
    wait_for_condition 600 50 {[s $level rdb_bgsave_in_progress] == 0} else {
        fail "BGSAVE did not finish"
    }
}

proc snap_bin {} { return $::rkv::server_bin }

# Starts the binary by hand (env / ulimit wrappers); returns {pid port dir}.
proc snap_spawn {dir args} {
    set port [::rkv::find_free_port]
    set pid [exec {*}$args --port $port --bind 127.0.0.1 --dir $dir --enable-debug-command yes >& $dir/log &]
    wait_for_condition 200 20 {[server_is_up 127.0.0.1 $port 1]} else {
        fail "server did not start: [exec tail -5 $dir/log]"
    }
    return [list $pid $port $dir]
}

# Writes bytes as dir/dump.rdb, starts the binary on it (it is expected to
# refuse the file and exit) and returns what it logged.
proc snap_start_on {dir name bytes} {
    set fd [open $dir/dump.rdb wb]; puts -nonewline $fd $bytes; close $fd
    set port [::rkv::find_free_port]
    catch {exec [snap_bin] --port $port --bind 127.0.0.1 --dir $dir --save "" >& $dir/log.$name}
    return [exec cat $dir/log.$name]
}

proc snap_kill {pid} {
    catch {exec kill -9 $pid}
    wait_for_condition 100 20 {[catch {exec kill -0 $pid}]} else { fail "pid $pid survived" }
}

start_server {tags {snapshot} overrides {save "" snapshot-slice-us 50}} {
    test {BGSAVE writes a file that a restart loads: strings, TTLs, several databases} {
        r flushall
        r set a 1
        r set b [string repeat x 1000]
        r set c hello ex 1000
        r select 2
        r set in2 yes
        r select 0
        set digest [r debug digest]
        assert_equal {Background saving started} [r bgsave]
        snap_wait_done
        assert_equal ok [s rdb_last_bgsave_status]
        restart_server 0 1
        assert_equal $digest [r debug digest]
        assert_range [r ttl c] 990 1000
        r select 2
        assert_equal yes [r get in2]
        r select 0
    }

    test {The file is the data as of BGSAVE, whatever is written meanwhile} {
        r flushall
        r debug populate 200000 key 20
        r set counter 10
        r expire key:5 100000
        set t0 [r debug digest]
        set t0size [r dbsize]
        r bgsave
        # Everything below happens while the save is running.
        assert_equal 1 [s rdb_bgsave_in_progress]
        for {set i 0} {$i < 2000} {incr i} {
            set k key:[expr {($i * 97) % 200000}]
            switch [expr {$i % 8}] {
                0 { r set $k changed }
                1 { r del $k }
                2 { r append $k more }
                3 { r set new:$i v }
                4 { r expire $k 50 }
                5 { r rename $k renamed:$i }
                6 { r incr counter }
                7 { r move $k 1 }
            }
        }
        assert {[s rdb_current_keys_written_early] > 0}
        snap_wait_done
        assert_equal ok [s rdb_last_bgsave_status]
        assert {[r debug digest] ne $t0}
        restart_server 0 1
        assert_equal $t0size [r dbsize]
        assert_equal $t0 [r debug digest]
        r select 1
        assert_equal 0 [r dbsize]
        r select 0
    } {needs:debug}

    test {FLUSHDB and SWAPDB during BGSAVE keep the point-in-time image} {
        r flushall
        r debug populate 50000 a 10
        r select 1
        r debug populate 30000 b 10
        r select 0
        set d0 [r debug digest]
        r bgsave
        assert_equal 1 [s rdb_bgsave_in_progress]
        r swapdb 0 1
        r flushdb
        r set after swap
        snap_wait_done
        restart_server 0 1
        assert_equal $d0 [r debug digest]
        assert_equal 50000 [r dbsize]
    } {needs:debug}

    test {FLUSHDB during BGSAVE hands the tables to the save instead of writing every key first} {
        r flushall
        r debug populate 200000 k 10
        set d0 [r debug digest]
        r bgsave
        assert_equal 1 [s rdb_bgsave_in_progress]
        r flushdb
        # The database is empty at once and usable; nothing was serialized
        # ahead of the walk to make that possible.
        assert_equal 0 [r dbsize]
        assert_equal 0 [s rdb_current_keys_written_early]
        r set new 1
        snap_wait_done
        restart_server 0 1
        assert_equal $d0 [r debug digest]
        assert_equal 200000 [r dbsize]
        assert_equal 0 [r exists new]
    } {needs:debug ringkv-only}

    test {BGSAVE while one is running, BGSAVE SCHEDULE, SAVE, LASTSAVE} {
        r flushall
        r debug populate 100000 x 10
        assert_equal {Background saving started} [r bgsave]
        assert_error {ERR Background save already in progress} {r bgsave}
        assert_error {ERR Background save already in progress} {r save}
        assert_equal {Background saving scheduled} [r bgsave schedule]
        assert_error {ERR syntax error} {r bgsave foo}
        snap_wait_done
        # The scheduled save starts from the cron.
        wait_for_condition 100 50 {[s rdb_saves] >= 2 && [s rdb_bgsave_in_progress] == 0} else {
            fail "scheduled save did not run"
        }
        set before [r lastsave]
        after 1100
        assert_equal OK [r save]
        assert {[r lastsave] > $before}
        assert_equal 0 [s rdb_changes_since_last_save]
        r set k v
        assert_equal 1 [s rdb_changes_since_last_save]
    } {needs:debug}

    test {Lists, sets, hashes and sorted sets survive BGSAVE and restart in both encodings} {
        r flushall
        r sadd iset 1 2 3
        r sadd sset a b c
        r hset small f v n 1
        r zadd smallz 1 a 2 b
        r config set set-max-intset-entries 0
        r config set hash-max-listpack-entries 0
        r config set zset-max-listpack-entries 0
        r sadd bigiset 1 2 3
        r sadd bigsset x y z
        r hset bighash f v g 2
        r zadd bigz 1 a 2 b -inf c
        r config set set-max-intset-entries 512
        r config set hash-max-listpack-entries 128
        r config set zset-max-listpack-entries 128
        for {set i 0} {$i < 2000} {incr i} { r sadd many m$i; r hset manyh f$i $i; r zadd manyz $i z$i; r rpush manyl $i x$i }
        r config set list-compress-depth 1
        for {set i 0} {$i < 3000} {incr i} { r rpush compressed [string repeat c 50]$i }
        r config set list-compress-depth 0
        set d [r debug digest]
        r bgsave
        snap_wait_done
        restart_server 0 1
        assert_equal $d [r debug digest]
        set after {}
        foreach k {iset sset small smallz bigiset bigsset bighash bigz many manyh manyz manyl} { lappend after [r object encoding $k] }
        # Small values come back compact: Redis converts on load too.
        assert_equal {intset hashtable listpack listpack intset hashtable listpack listpack hashtable hashtable skiplist quicklist} $after
        assert_equal 3000 [r llen compressed]
    } {needs:debug}

    test {DEBUG RELOAD keeps every value and TTL} {
        r flushall
        r set s1 [string repeat ab 5000]
        r set n 42
        r set t x px 500000
        set d [r debug digest]
        assert_equal OK [r debug reload]
        assert_equal $d [r debug digest]
    } {needs:debug}

    test {While loading at start-up, clients get -LOADING and INFO shows progress} {
        r flushall
        r debug populate 1500000 k 10
        r save
        # No wait and no reconnect: the new process may not listen yet.
        restart_server 0 0 0 0
        set seen_loading 0
        set seen_progress 0
        for {set i 0} {$i < 2000} {incr i} {
            if {[catch {set c [::rkv::client::open [srv host] [srv port]]}]} { after 5; continue }
            catch {$c get k:1} reply
            if {[string match "LOADING*" $reply]} {
                set seen_loading 1
                if {[string match "*loading:1*loading_loaded_perc:*" [$c info persistence]]} { set seen_progress 1 }
                $c close
                after 20
                continue
            }
            $c close
            break
        }
        assert_equal 1 $seen_loading
        assert_equal 1 $seen_progress
        wait_for_condition 200 50 {[server_is_up [srv host] [srv port] 1]} else { fail "server not up" }
        wait_for_condition 200 50 {[s loading] == 0} else { fail "never finished loading" }
        assert_equal 1500000 [r dbsize]
    } {needs:debug slow}

    test {INFO persistence reports the engine in use} {
        assert {[s rdb_snapshot_io] in {io_uring aio}}
    }
}

start_server {tags {snapshot} overrides {save "" snapshot-io aio}} {
    test {snapshot-io aio: forced POSIX AIO writes a loadable file} {
        assert_equal aio [s rdb_snapshot_io]
        r debug populate 20000 k 10
        set d [r debug digest]
        r bgsave
        snap_wait_done
        assert_equal ok [s rdb_last_bgsave_status]
        restart_server 0 1
        assert_equal aio [s rdb_snapshot_io]
        assert_equal $d [r debug digest]
    } {needs:debug}
}

tags {snapshot} {
    test {auto falls back to POSIX AIO when io_uring cannot be set up, and says why} {
        set dir [tmpdir fallback]
        lassign [snap_spawn $dir env RINGKV_SIO_FAIL=io_uring [snap_bin] --save ""] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        set info [$c info persistence]
        assert_match "*rdb_snapshot_io:aio*" $info
        assert_match "*rdb_snapshot_io_fallback:*io_uring*" $info
        $c set k v
        $c save
        $c close
        snap_kill $pid
        assert {[file exists $dir/dump.rdb]}
        assert_match "*Snapshot I/O engine: aio*io_uring unavailable*" [exec cat $dir/log]
    }

    test {A failed save (file size limit) reports err and MISCONF; nothing is lost} {
        set dir [tmpdir efbig]
        lassign [snap_spawn $dir sh -c "ulimit -f 64; exec [snap_bin] --save '3600 1' \"\$@\"" sh] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c debug populate 100000 k 100
        $c bgsave
        wait_for_condition 200 50 {[string match "*rdb_bgsave_in_progress:0*" [$c info persistence]]} else {
            fail "save did not end"
        }
        assert_match "*rdb_last_bgsave_status:err*" [$c info persistence]
        assert_error {MISCONF *} {$c set x y}
        assert_equal 100000 [$c dbsize]
        assert_equal value:7 [string range [$c get k:7] 0 6]
        $c config set stop-writes-on-bgsave-error no
        assert_equal OK [$c set x y]
        $c close
        snap_kill $pid
        assert_match "*saving error*File too large*" [exec cat $dir/log]
    }

    test {kill -9 during BGSAVE leaves the previous dump loadable} {
        set dir [tmpdir crash]
        lassign [snap_spawn $dir [snap_bin] --save "" --snapshot-slice-us 50] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c set first version
        $c save
        set d1 [$c debug digest]
        $c debug populate 300000 k 50
        $c bgsave
        assert_match "*rdb_bgsave_in_progress:1*" [$c info persistence]
        snap_kill $pid
        $c close
        lassign [snap_spawn $dir [snap_bin] --save ""] pid2 port2
        set c2 [::rkv::client::open 127.0.0.1 $port2]
        assert_equal $d1 [$c2 debug digest]
        assert_equal version [$c2 get first]
        $c2 close
        snap_kill $pid2
    }

    test {Truncated or corrupt files are refused at start-up, naming the offset} {
        set dir [tmpdir corrupt]
        lassign [snap_spawn $dir [snap_bin] --save ""] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c debug populate 1000 k 10
        $c save
        $c close
        snap_kill $pid
        set fd [open $dir/dump.rdb rb]; set data [read $fd]; close $fd
        foreach {name bytes} [list truncated [string range $data 0 [expr {[string length $data] / 2}]] \
                                  flipped [string replace $data 500 500 [format %c [expr {([scan [string index $data 500] %c] + 1) % 256}]]] \
                                  badmagic "XEDIS[string range $data 5 end]"] {
            set log [snap_start_on $dir $name $bytes]
            assert_match "*Error loading dump.rdb*offset*" $log
            assert_match "*Fatal error loading the DB*" $log
        }
    }

    test {A file that holds the same key twice is refused at start-up, naming the key} {
        # Loading inserts keys a few at a time behind a prefetch queue
        # (db.c): duplicates must be caught both inside one batch and
        # across batches.  Hand-made RDB: SELECTDB 0, string keys, EOF and a
        # zero checksum (not checked).
        set dir [tmpdir dupkey]
        foreach {name keys} {near {a b a} far {d k0 k1 k2 k3 k4 k5 k6 k7 k8 k9 k10 d}} {
            set body "REDIS0010\xfe\x00"
            foreach k $keys {
                append body "\x00[format %c [string length $k]]$k\x01v"
            }
            append body "\xff[string repeat \x00 8]"
            set log [snap_start_on $dir $name $body]
            assert_match "*duplicate key '[lindex $keys end]'*" $log
            assert_match "*Fatal error loading the DB*" $log
        }
    } {ringkv-only}

    test {ringkv-check-rdb accepts a valid file and rejects a damaged one with its offset} {
        set dir [tmpdir checker]
        lassign [snap_spawn $dir [snap_bin] --save ""] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c debug populate 5000 k 10
        $c sadd s a b c
        $c hset h f v
        $c save
        $c close
        snap_kill $pid
        set out [exec [snap_bin] --check-rdb $dir/dump.rdb]
        assert_match "*db 0: 5002 keys*OK: 5002 keys, checksum verified*" $out
        set fd [open $dir/dump.rdb rb]; set data [read $fd]; close $fd
        set fd [open $dir/bad.rdb wb]; puts -nonewline $fd [string range $data 0 end-100]; close $fd
        assert {[catch {exec [snap_bin] --check-rdb $dir/bad.rdb} out]}
        assert_match "*INVALID*offset*" $out
    }

    test {SIGTERM with save points saves before exiting; SHUTDOWN NOSAVE does not} {
        set dir [tmpdir sigterm]
        lassign [snap_spawn $dir [snap_bin] --save "3600 1"] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c set k beforeterm
        $c close
        exec kill -TERM $pid
        wait_for_condition 100 50 {[catch {exec kill -0 $pid}]} else { fail "no exit" }
        lassign [snap_spawn $dir [snap_bin] --save "3600 1"] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        assert_equal beforeterm [$c get k]
        $c set k changed
        catch {$c shutdown nosave}
        wait_for_condition 100 50 {[catch {exec kill -0 $pid}]} else { fail "no exit" }
        lassign [snap_spawn $dir [snap_bin] --save ""] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        assert_equal beforeterm [$c get k]
        $c close
        snap_kill $pid
    }

    test {Save points start a background save; FLUSHALL resets the change counter} {
        set dir [tmpdir savepoints]
        lassign [snap_spawn $dir [snap_bin] --save "1 2"] pid port
        set c [::rkv::client::open 127.0.0.1 $port]
        $c set a 1
        $c set b 2
        wait_for_condition 100 50 {[string match "*rdb_saves:1*" [$c info persistence]]} else {
            fail "save point did not trigger"
        }
        assert_match "*changes in 1 seconds. Saving...*" [exec cat $dir/log]
        $c set c 3
        $c flushall
        assert_match "*rdb_changes_since_last_save:0*" [$c info persistence]
        $c close
        snap_kill $pid
    }
}

# Interoperability with Debian's redis-server 7.0 (when installed).
tags {snapshot} {
    set ref ""
    foreach p {/usr/bin/redis-server /usr/local/bin/redis-server} { if {[file executable $p]} { set ref $p; break } }
    if {$ref eq ""} {
        test {RDB interoperability: redis-server not installed} { skip "no redis-server" }
    } else {
        test {A dump written by ringkv loads in Redis 7.0, and Redis's loads in ringkv} {
            set dir [tmpdir interop]
            lassign [snap_spawn $dir [snap_bin] --save ""] pid port
            set c [::rkv::client::open 127.0.0.1 $port]
            set i 0
            foreach v {0 -1 127 32767 2147483647 9223372036854775807 hello "" 01} {
                $c set k$i $v
                incr i
            }
            $c set big [string repeat abcdefghij 10000]
            $c set ttl v ex 5000
            $c select 5
            $c set five 5
            $c save
            $c close
            snap_kill $pid
            catch {exec redis-check-rdb $dir/dump.rdb} out
            assert_match "*RDB looks OK*" $out
            lassign [snap_spawn $dir $ref --save ""] rpid rport
            set rc [::rkv::client::open 127.0.0.1 $rport]
            assert_equal 11 [$rc dbsize]
            assert_equal 9223372036854775807 [$rc get k5]
            assert_equal [string repeat abcdefghij 10000] [$rc get big]
            assert_range [$rc ttl ttl] 4990 5000
            $rc select 5
            assert_equal 5 [$rc get five]
            $rc select 0
            # And back: Redis writes, ringkv reads.
            $rc set fromredis [string repeat xyz 1000]
            $rc save
            $rc close
            snap_kill $rpid
            lassign [snap_spawn $dir [snap_bin] --save ""] pid port
            set c [::rkv::client::open 127.0.0.1 $port]
            assert_equal [string repeat xyz 1000] [$c get fromredis]
            assert_equal hello [$c get k6]
            assert_equal 12 [$c dbsize]
            $c close
            snap_kill $pid
        }
    }
}

# --- Big values written in pieces (issue 4) ----------------------------------
#
# A value is serialized a step at a time (rdb_chunked.c), so one key no
# longer holds the event loop for its whole size.  While a value is half
# written, its T0 content must still be what lands in the file, whatever
# happens to it: these tests change, read, delete and move big keys during
# BGSAVE and compare every key with its digest taken at BGSAVE.

# Fills key with n elements through pipelined variadic commands.  Each
# request stays under 4 KB: a longer one leaves the client's channel buffer
# in pieces and the last one waits on Nagle's algorithm (40 ms a command).
proc snap_fill {c type key n {prefix e}} {
    set pending 0
    for {set i 0} {$i < $n} {incr i 100} {
        set args {}
        for {set j $i} {$j < $i + 100 && $j < $n} {incr j} {
            switch $type {
                list - set { lappend args $prefix$j }
                hash { lappend args f$j $prefix$j }
                zset { lappend args [expr {$j * 0.5}] $prefix$j }
            }
        }
        switch $type {
            list { $c send rpush $key {*}$args }
            set { $c send sadd $key {*}$args }
            hash { $c send hset $key {*}$args }
            zset { $c send zadd $key {*}$args }
        }
        if {[incr pending] == 200} {
            while {$pending} { $c read; incr pending -1 }
        }
    }
    while {$pending} { $c read; incr pending -1 }
}

set ::snap_big_keys {biglist bighash bigset bigzset bigstr bigintset packedhash packedzset}

# One big value of every type and encoding, plus small keys around them.
proc snap_big_dataset {} {
    set c [redis_client]
    r flushall
    # Inner list nodes LZF-compressed in memory: written as they are.
    r config set list-compress-depth 1
    snap_fill $c list biglist 300000
    # Just past 2^18 members: the hash tables of these two are still
    # rehashing when the save starts, and lookups must not move them.
    snap_fill $c hash bighash 262154
    snap_fill $c set bigset 262154
    snap_fill $c zset bigzset 300000
    r set bigstr [string repeat 0123456789abcdef 1310720]
    r expire bighash 100000
    # Compact encodings are one blob each: thresholds can make them big.
    r config set set-max-intset-entries 200000
    r config set hash-max-listpack-entries 100000
    r config set zset-max-listpack-entries 100000
    # (Over 64 KB each: more than one piece at the default size.)
    snap_fill $c set bigintset 100000 ""
    snap_fill $c hash packedhash 10000
    snap_fill $c zset packedzset 10000
    r config set set-max-intset-entries 512
    r config set hash-max-listpack-entries 128
    r config set zset-max-listpack-entries 128
    r config set list-compress-depth 0
    assert_equal {quicklist hashtable hashtable skiplist raw intset listpack listpack} \
        [lmap k $::snap_big_keys {r object encoding $k}]
    r debug populate 20000 small 10
    r set counter 0
    $c close
}

proc snap_big_reads {i} {
    r hget bighash f[expr {$i * 7}]
    r sismember bigset e$i
    r lrange biglist [expr {$i * 100}] [expr {$i * 100 + 10}]
    r zscore bigzset e$i
    r getrange bigstr 1000 1010
}

# Writes to, and reads from, the big keys and others: run while BGSAVE is
# in progress.
proc snap_big_changes {n} {
    for {set i 0} {$i < $n} {incr i} {
        switch [expr {$i % 12}] {
            0 { r lpush biglist new$i }
            1 { r hset bighash f$i changed$i }
            2 { r sadd bigset new$i }
            3 { r zadd bigzset -1 new$i }
            4 { r append bigstr tail$i }
            5 { r del small:$i }
            6 { snap_big_reads $i }
            7 { r incr counter }
            8 { r hset packedhash f$i changed }
            9 { r sadd bigintset -$i }
            10 { r zadd packedzset 7 new$i }
            11 { r set small:$i changed }
        }
    }
    # And the big keys go away or move, while the save may still be at them.
    r unlink bigset
    r rename biglist biglist2
    r del bigzset
}

# BGSAVE while the big keys change; the restarted server must hold exactly
# what there was at BGSAVE, key by key.  Until the expression ready holds,
# the big keys are only read (so the walk gets into them first); check runs
# once the save is done, before the restart.
proc snap_big_roundtrip {{ready 1} {check {}}} {
    snap_big_dataset
    set d0 [r debug digest]
    set v0 [r debug digest-value {*}$::snap_big_keys]
    assert_equal {Background saving started} [r bgsave]
    assert_equal 1 [s rdb_bgsave_in_progress]
    for {set i 0} {![uplevel 1 [list expr $ready]] && [s rdb_bgsave_in_progress]} {incr i} {
        snap_big_reads $i
    }
    assert_equal 1 [s rdb_bgsave_in_progress]
    snap_big_changes 600
    snap_wait_done
    assert_equal ok [s rdb_last_bgsave_status]
    set file [file join [lindex [r config get dir] 1] dump.rdb]
    if {[auto_execok redis-check-rdb] ne ""} {
        catch {exec redis-check-rdb $file} out
        assert_match "*RDB looks OK*" $out
    }
    uplevel 1 $check
    restart_server 0 1
    assert_equal $v0 [r debug digest-value {*}$::snap_big_keys]
    assert_equal $d0 [r debug digest]
    assert_range [r ttl bighash] 99000 100000
}

start_server {tags {snapshot} overrides {save ""}} {
    test {BGSAVE of big values of every type while they change: the file is the data as of BGSAVE} {
        snap_big_roundtrip
    } {needs:debug slow}

    test {PING stays fast during a BGSAVE of a 1M-element hash} {
        r flushall
        set c [redis_client]
        snap_fill $c hash h 1000000
        $c close
        # What writing the value in one go costs: DUMP serializes it whole.
        set t [clock microseconds]
        r dump h
        set whole_ms [expr {([clock microseconds] - $t) / 1000.0}]
        set p [redis_client]
        r bgsave
        set max 0
        set pings 0
        while {1} {
            set t [clock microseconds]
            $p ping
            set ms [expr {([clock microseconds] - $t) / 1000.0}]
            if {$ms > $max} { set max $ms }
            incr pings
            if {$pings % 20 == 0 && [s rdb_bgsave_in_progress] == 0} break
        }
        $p close
        ::rkv::log_verbose "1M-element hash: DUMP $whole_ms ms, longest PING during BGSAVE $max ms ($pings pings)"
        assert_equal ok [s rdb_last_bgsave_status]
        assert_morethan $pings 20
        assert_lessthan $max 50 "longest PING during BGSAVE (the whole value takes $whole_ms ms)"
    } {slow}
}

# Open flags (octal, as in /proc/PID/fdinfo) of the save's temporary file,
# polled while the save runs; "" if the save ended before it was seen.
proc snap_temp_file_flags {pid} {
    for {set i 0} {$i < 2000} {incr i} {
        foreach fd [glob -nocomplain /proc/$pid/fd/*] {
            if {[catch {file readlink $fd} target] || ![string match "*/temp-*.rdb" $target]} continue
            if {[catch {::rkv::read_file /proc/$pid/fdinfo/[file tail $fd]} info]} continue
            if {[regexp {flags:\s+([0-7]+)} $info -> flags]} { return $flags }
        }
        if {[s rdb_bgsave_in_progress] == 0} { return "" }
        after 1
    }
    return ""
}

# The log line of the last successful save says how its file was written.
proc snap_last_save_mode {} {
    set mode ""
    foreach line [split [::rkv::read_file [srv 0 stdout]] "\n"] {
        regexp {saving terminated with success \(.*, ([^,]+)\)$} $line -> mode
    }
    return $mode
}

# BGSAVE of 400000 keys with 37-byte values (a file whose length is no
# multiple of 4 KB, so its last block cannot go direct), then a restart from
# it; returns the open flags of the temporary file seen during the save.
proc snap_roundtrip_flags {} {
    r flushall
    r debug populate 400000 k 37
    set d [r debug digest]
    r bgsave
    set flags [snap_temp_file_flags [srv pid]]
    snap_wait_done
    assert_equal ok [s rdb_last_bgsave_status]
    assert {$flags ne ""}
    assert {[file size [srv data_dir]/dump.rdb] % 4096 != 0}
    restart_server 0 1
    assert_equal $d [r debug digest]
    return $flags
}

foreach engine {io_uring aio} {
    start_server [list tags {snapshot ringkv-only} overrides [list save "" snapshot-io $engine]] {
        test "snapshot-direct-io ($engine): the file is written with O_DIRECT, its last block through the page cache" {
            assert_equal yes [lindex [r config get snapshot-direct-io] 1]
            set flags [snap_roundtrip_flags]
            assert {($flags & 040000) != 0}
            assert_equal O_DIRECT [snap_last_save_mode]
        } {needs:debug}

        test "snapshot-direct-io no ($engine): every write goes through the page cache" {
            r config set snapshot-direct-io no
            set flags [snap_roundtrip_flags]
            assert {($flags & 040000) == 0}
            assert_equal {page cache} [snap_last_save_mode]
            # SAVE uses the same writer, direct again once switched back.
            r config set snapshot-direct-io yes
            r set after-switch 1
            set d [r debug digest]
            assert_equal OK [r save]
            assert_equal O_DIRECT [snap_last_save_mode]
            restart_server 0 1
            assert_equal $d [r debug digest]
        } {needs:debug}
    }
}

start_server {tags {snapshot ringkv-only} overrides {save "" snapshot-io aio snapshot-chunk-bytes 4kb}} {
    test {Big values are written in pieces, also through POSIX AIO, and still equal the data as of BGSAVE} {
        assert_equal aio [s rdb_snapshot_io]
        # Reads first, until a few big values have been written in pieces
        # (with reads landing on them), then the changes.
        snap_big_roundtrip {[s rdb_current_keys_in_pieces] >= 4} {
            assert_morethan_equal [s rdb_current_keys_in_pieces] 4
        }
    } {needs:debug slow}
}

start_server {tags {snapshot ringkv-only} overrides {save "" snapshot-chunk-bytes 64}} {
    # 64-byte pieces: every value of more than one element, and every string
    # over 64 bytes, is written across many steps, so changes keep landing
    # on a value in the middle of its serialization.
    proc snap_many_big {} {
        set c [redis_client]
        r flushall
        for {set k 0} {$k < 8} {incr k} {
            snap_fill $c hash h$k 10000
            snap_fill $c list l$k 10000
            snap_fill $c zset z$k 10000
            snap_fill $c set s$k 10000
            r set str$k [string repeat "$k-abcdefgh" 2000]
        }
        $c select 1
        snap_fill $c hash other 3000
        $c close
    }

    test {Every way of changing or dropping a key that is being written in pieces keeps the T0 image} {
        # The interleaving below depends on how far the walk got when the
        # MULTI lands: on a loaded machine it may have gone past db 0
        # already, so the scenario is replayed (rarely) until it happened.
        for {set attempt 1} {$attempt <= 5} {incr attempt} {
            snap_many_big
            r select 1
            set d1 [r debug digest]
            r select 0
            set d0 [r debug digest]
            r bgsave
            wait_for_condition 1000 1 {[s rdb_current_keys_in_pieces] > 0} else { fail "nothing in pieces" }
            # Every big key is in pieces in turn, so one is now.  In one
            # atomic step, touch a key of db 1 (not reached yet: the hook
            # must hold it back behind the value in pieces), then every key
            # of db 0 (one of them is the value in pieces: it must be
            # finished first).
            r multi
            r select 1
            r hset other f0 changed
            r select 0
            for {set k 0} {$k < 8} {incr k} {
                r hset h$k f0 changed
                r rpush l$k changed
                r zadd z$k -1 changed
                r sadd s$k changed
                r append str$k changed
            }
            r exec
            set ops 0
            while {[s rdb_bgsave_in_progress]} {
                set k [expr {$ops % 8}]
                switch [expr {($ops / 8) % 13}] {
                    0 { r hset h$k f1 changed }
                    1 { r lpush l$k x }
                    2 { r zincrby z$k 1 e10 }
                    3 { r srem s$k e10 }
                    4 { r setrange str$k 5 XYZ }
                    5 { r del h$k }
                    6 { r unlink l$k }
                    7 { r pexpire z$k 1 }
                    8 { r rename s$k renamed$k }
                    9 { r move str$k 2 }
                    10 { r set h$k overwritten }
                    11 {
                        # Reads of values being written (some keys have
                        # another type by now: errors are expected).
                        catch {r hget h$k f20}
                        catch {r lindex l$k 200}
                        catch {r zrange z$k 0 3}
                        catch {r scard renamed$k}
                    }
                    12 { r expire l$k 1000 }
                }
                incr ops
            }
            assert_equal ok [s rdb_last_bgsave_status]
            if {[s rdb_current_keys_in_pieces_finished_early] > 0 && [s rdb_current_held_bytes_peak] > 0} break
        }
        assert_morethan [s rdb_current_keys_in_pieces] 0
        # Some changes hit the value being written: it was finished first.
        assert_morethan [s rdb_current_keys_in_pieces_finished_early] 0
        # Others hit keys not written yet while a value was in pieces: they
        # waited in memory behind it.
        assert_morethan [s rdb_current_held_bytes_peak] 0
        restart_server 0 1
        assert_equal $d0 [r debug digest]
        r select 1
        assert_equal $d1 [r debug digest]
        r select 0
    } {needs:debug}

    test {SWAPDB and FLUSHDB while a value is in pieces keep the T0 image} {
        snap_many_big
        set d0 [r debug digest]
        r bgsave
        wait_for_condition 1000 1 {[s rdb_current_keys_in_pieces] > 0} else { fail "nothing in pieces" }
        r swapdb 0 1
        r flushdb
        r select 1
        r hset h0 f1 changed
        r flushdb
        r select 0
        r set after swap
        snap_wait_done
        assert_equal ok [s rdb_last_bgsave_status]
        restart_server 0 1
        assert_equal $d0 [r debug digest]
        r select 1
        assert_equal 3000 [r hlen other]
        r select 0
    } {needs:debug}

    test {FLUSHALL and DEBUG RELOAD while a value is in pieces abort the save cleanly} {
        snap_many_big
        r bgsave
        wait_for_condition 1000 1 {[s rdb_current_keys_in_pieces] > 0} else { fail "nothing in pieces" }
        r flushall
        assert_equal 0 [s rdb_bgsave_in_progress]
        assert_equal 0 [r dbsize]
        snap_many_big
        set d [r debug digest]
        r bgsave
        wait_for_condition 1000 1 {[s rdb_current_keys_in_pieces] > 0} else { fail "nothing in pieces" }
        assert_equal OK [r debug reload]
        assert_equal $d [r debug digest]
        # The values the aborted saves were reading are still usable.
        r hset h0 f1 x
        assert_equal 10000 [r hlen h0]
        assert_equal OK [r save]
    } {needs:debug}
}

start_server {tags {snapshot ringkv-only} overrides {save ""}} {
    test {Deleting or replacing a big key the save has not written costs O(1): the save keeps its value} {
        # How many of these the walk reaches before the commands land
        # depends on the machine's load: replayed (rarely) until most were
        # still unwritten.
        for {set attempt 1} {$attempt <= 5} {incr attempt} {
            r flushall
            set c [redis_client]
            foreach k {a b c d e f g} { snap_fill $c hash $k 100000 }
            snap_fill $c list l 100000
            $c close
            r set dst x
            r set dst2 y
            set d0 [r debug digest]
            r bgsave
            set t [clock microseconds]
            r unlink a
            r del b
            r set c overwritten
            r rename dst2 d  ;# d's value is dropped
            r debug set-active-expire 0
            r pexpire e 1
            after 2
            r exists e       ;# expired: deleted on access (the TTL change wrote e first)
            r unlink f
            r rename g dst   ;# the value moves on: written first
            r lpush l changed
            set ms [expr {([clock microseconds] - $t) / 1000.0}]
            r debug set-active-expire 1
            snap_wait_done
            assert_equal ok [s rdb_last_bgsave_status]
            # a b c d f, but for those the walk may have written first.
            if {[s rdb_current_values_adopted] >= 3} break
        }
        ::rkv::log_verbose "changes to 100k-element keys during BGSAVE: $ms ms"
        assert_morethan_equal [s rdb_current_values_adopted] 3
        restart_server 0 1
        assert_equal $d0 [r debug digest]
        assert_equal 100000 [r hlen a]
        assert_equal 100000 [r hlen d]
        assert_equal x [r get dst]
    } {needs:debug}
}

tags {snapshot ringkv-only} {
    set ref ""
    foreach p {/usr/bin/redis-server /usr/local/bin/redis-server} { if {[file executable $p]} { set ref $p; break } }
    if {$ref eq ""} {
        test {Values written in pieces load in Redis 7.0: redis-server not installed} { skip "no redis-server" }
    } else {
        test {Values written in pieces, long strings LZF-compressed block by block, load in Redis 7.0} {
            set dir [tmpdir pieces-interop]
            lassign [snap_spawn $dir [snap_bin] --save ""] pid port
            set c [::rkv::client::open 127.0.0.1 $port]
            set text [string repeat "ringkv-abcdefgh-" 400000]
            # Bytes LZF cannot shrink: written plain.
            set x 12345
            set noise ""
            for {set i 0} {$i < 200000} {incr i} {
                set x [expr {($x * 1103515245 + 12345) & 0x7fffffff}]
                append noise [format %c [expr {($x >> 16) & 255}]]
            }
            $c set text $text
            $c set noise $noise
            $c hset h f [string range $text 0 199999] g $noise
            $c rpush l $noise x $text
            $c bgsave
            wait_for_condition 200 50 {[string match "*rdb_bgsave_in_progress:0*" [$c info persistence]]} else {
                fail "save did not end"
            }
            assert_match "*rdb_current_keys_in_pieces:4*" [$c info persistence]
            $c close
            snap_kill $pid
            # Compressed: the two copies of text (12.8 MB) take far less.
            assert_lessthan [file size $dir/dump.rdb] 2000000
            catch {exec redis-check-rdb $dir/dump.rdb} out
            assert_match "*RDB looks OK*" $out
            lassign [snap_spawn $dir $ref --save ""] rpid rport
            set rc [::rkv::client::open 127.0.0.1 $rport]
            assert_equal $text [$rc get text]
            assert_equal $noise [$rc get noise]
            assert_equal [list [string range $text 0 199999] $noise] [$rc hmget h f g]
            assert_equal [list $noise x $text] [$rc lrange l 0 -1]
            $rc close
            snap_kill $rpid
        }
    }
}
