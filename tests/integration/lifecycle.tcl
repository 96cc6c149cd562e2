# lifecycle.tcl: the server as a process: unix socket listener, idle client
# timeout, daemonize with a pid file, the log line format, SIGTERM.

proc lifecycle_pid_alive {pid} { expr {![catch {exec kill -0 $pid 2>/dev/null}]} }

proc lifecycle_bin {} { return $::rkv::server_bin }

start_server {tags {lifecycle}} {
    test {Unix socket: clients connect, CLIENT LIST shows the U flag and the path} {
        set dir [tmpdir unixsock]
        set sock [file join $dir s.sock]
        set port [::rkv::find_free_port]
        set bin [lifecycle_bin]
        set pid [exec $bin --port $port --bind 127.0.0.1 --save "" --dir $dir \
                     --unixsocket $sock --unixsocketperm 700 >& $dir/log &]
        try {
            wait_for_condition 200 20 {[file exists $sock]} else { fail "no unix socket" }
            wait_for_condition 100 20 {![catch {exec redis-cli -s $sock ping} r] && $r eq "PONG"} else {
                fail "PING over the unix socket failed"
            }
            assert_equal 0700 [format %04o [expr {[file attributes $sock -permissions] & 0777}]]
            set list [exec redis-cli -s $sock client list]
            assert_match "*addr=$sock:0*flags=U*" $list
            exec redis-cli -s $sock set viaunix 1
            assert_equal 1 [exec redis-cli -p $port get viaunix]
        } finally {
            catch {exec kill $pid}
        }
        wait_for_condition 100 50 {![lifecycle_pid_alive $pid]} else { fail "server did not exit" }
        assert {![file exists $sock]}
    }

    test {timeout closes idle clients, and only idle ones} {
        r config set timeout 1
        set idle [redis_client]
        set busy [redis_client]
        assert_equal PONG [$idle ping]
        for {set i 0} {$i < 30} {incr i} {
            $busy ping
            r ping ;# the test's own connection must not go idle either
            after 100
        }
        # 3 s later the idle connection is gone, the busy one is not.
        assert_equal PONG [$busy ping]
        assert_error {*} {$idle ping}
        r config set timeout 0
        $busy close
        catch {$idle close}
    }

    test {Log lines follow the Redis format} {
        set fd [open [srv stdout] r]
        set lines [split [read $fd] "\n"]
        close $fd
        set checked 0
        foreach line $lines {
            if {$line eq ""} continue
            if {![regexp {^[0-9]+:[CM] [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} [.*#-] .+$} $line]} {
                fail "log line not in Redis's format: $line"
            }
            incr checked
        }
        assert {$checked >= 3}
    }
}

tags {lifecycle} {
    test {daemonize writes a pid file, SIGTERM shuts down and removes it} {
        set dir [tmpdir daemon]
        set port [::rkv::find_free_port]
        set bin [lifecycle_bin]
        exec $bin --port $port --bind 127.0.0.1 --save "" --dir $dir --daemonize yes \
            --pidfile $dir/ringkv.pid --logfile $dir/ringkv.log
        # The foreground process returns at once; the daemon writes its pid.
        wait_for_condition 200 20 {[file exists $dir/ringkv.pid]} else { fail "no pid file" }
        set fd [open $dir/ringkv.pid]; set pid [string trim [read $fd]]; close $fd
        wait_for_condition 100 20 {![catch {exec redis-cli -p $port ping} r] && $r eq "PONG"} else {
            catch {exec kill $pid}
            fail "daemon does not answer"
        }
        regexp {process_id:([0-9]+)} [exec redis-cli -p $port info server] -> ipid
        assert_equal $pid $ipid
        exec kill -TERM $pid
        wait_for_condition 100 50 {![lifecycle_pid_alive $pid]} else { fail "daemon did not exit on SIGTERM" }
        assert {![file exists $dir/ringkv.pid]}
        set fd [open $dir/ringkv.log]; set log [read $fd]; close $fd
        assert_match "*Received SIGTERM scheduling shutdown*" $log
        assert_match "*ready to exit, bye bye*" $log
    }
}
