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
            set fd [open $dir/dump.rdb wb]; puts -nonewline $fd $bytes; close $fd
            set port [::rkv::find_free_port]
            catch {exec [snap_bin] --port $port --bind 127.0.0.1 --dir $dir --save "" >& $dir/log.$name} 
            set log [exec cat $dir/log.$name]
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
            set fd [open $dir/dump.rdb wb]; puts -nonewline $fd $body; close $fd
            set port [::rkv::find_free_port]
            catch {exec [snap_bin] --port $port --bind 127.0.0.1 --dir $dir --save "" >& $dir/log.$name}
            set log [exec cat $dir/log.$name]
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
