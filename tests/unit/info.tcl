# info.tcl: the INFO command.
#
# Covers which sections INFO prints for every way of choosing them (none,
# default, all, everything, several names, repeats, unknown names, any
# case), the byte-level layout clients parse ("# Title", "field:value\r\n",
# one blank line between sections, a RESP3 verbatim string), and the fields
# of every section: their presence, their format and, for counters, that
# they move when the thing they count happens (commands, rejections and
# failures per command, errors per code, keys per database, connections,
# hits and misses, expired keys, changes since the last save).  Every field
# Redis 7.0.15 prints is checked for presence and order; the memory
# breakdown (startup, overhead, dataset, peak, client buffers), blocked
# clients with a timeout, the last load's key counts and the time spent over
# maxmemory for their values.

# The section titles of an INFO text, in order.
proc info_titles {text} {
    set titles {}
    foreach line [split $text "\n"] {
        set line [string trimright $line "\r"]
        if {[string match "# *" $line]} { lappend titles [string range $line 2 end] }
    }
    return $titles
}

# The value of field in an INFO text ("" when absent).
proc info_value {text field} {
    if {[regexp "(?:^|\n)[regsub -all {[|]} $field {\\|}]:(\[^\r\n\]*)" $text -> value]} {
        return $value
    }
    return ""
}

# The cmdstat line of a command as a dict (calls usec usec_per_call
# rejected_calls failed_calls); an empty dict when the command has none.
proc cmdstat {cmd} {
    set value [info_value [r info commandstats] "cmdstat_$cmd"]
    set d [dict create]
    foreach pair [split $value ,] {
        lassign [split $pair =] k v
        if {$k ne ""} { dict set d $k $v }
    }
    return $d
}

proc cmdstat_field {cmd field} {
    set d [cmdstat $cmd]
    if {[dict exists $d $field]} { return [dict get $d $field] }
    return 0
}

# The count of an error code in INFO errorstats (0 when absent).
proc errorstat {code} {
    set value [info_value [r info errorstats] "errorstat_$code"]
    if {[regexp {^count=(\d+)$} $value -> n]} { return $n }
    return 0
}

# Section lists of Redis 7.0. Latencystats is a Redis section ringkv does not
# have (it keeps no latency histograms), so it is left out of comparisons.
set ::info_default_titles {Server Clients Memory Persistence Stats Replication CPU Modules Errorstats Cluster Keyspace}
set ::info_all_titles {Server Clients Memory Persistence Stats Replication CPU Modules Commandstats Errorstats Cluster Keyspace}

proc titles_without_latency {text} {
    set out {}
    foreach t [info_titles $text] { if {$t ne "Latencystats"} { lappend out $t } }
    return $out
}

start_server {tags {"info"}} {

test {INFO without arguments prints the default sections in order} {
    assert_equal $::info_default_titles [titles_without_latency [r info]]
    assert_equal $::info_default_titles [titles_without_latency [r info default]]
    assert_equal $::info_default_titles [titles_without_latency [r info DEFAULT]]
}

test {INFO all and INFO everything add Commandstats} {
    r ping
    assert_equal $::info_all_titles [titles_without_latency [r info all]]
    assert_equal $::info_all_titles [titles_without_latency [r info everything]]
    assert_equal $::info_all_titles [titles_without_latency [r info default commandstats]]
    assert_equal $::info_all_titles [titles_without_latency [r info all modules]]
}

test {INFO with several sections prints each once, in INFO's order} {
    assert_equal {Server Clients} [info_titles [r info clients server]]
    assert_equal {Server} [info_titles [r info server server SERVER]]
    assert_equal {Memory Keyspace} [info_titles [r info KeySpace mEmOrY]]
    assert_equal {Stats} [info_titles [r info stats nosuchsection]]
}

test {INFO with only unknown sections is an empty string} {
    assert_equal {} [r info nosuchsection]
    r readraw 1
    assert_equal {$0} [r info nosuchsection other]
    assert_equal {} [r read]
    r readraw 0
}

test {INFO text layout: headers, field lines, one blank line between sections} {
    set text [r info everything]
    # Every line ends with CRLF, and the text ends with exactly one.
    assert_equal "\r\n" [string range $text end-1 end]
    assert {![string match "*\r\n\r\n" $text]}
    set body [string range $text 0 end-2]
    set lines [split [string map [list "\r\n" "\x01"] $body] "\x01"]
    set prev_blank 1
    foreach line $lines {
        assert {[string first "\r" $line] < 0 && [string first "\n" $line] < 0} "bare CR or LF in: $line"
        if {$line eq ""} {
            assert {!$prev_blank} "two blank lines in a row"
            set prev_blank 1
            continue
        }
        if {$prev_blank} {
            assert_match "# *" $line
        } else {
            assert_match {[a-z]*:*} $line
            assert {![string match "# *" $line]} "section header without a blank line before it: $line"
        }
        set prev_blank 0
    }
}

test {INFO modules is the bare header} {
    assert_equal "# Modules\r\n" [r info modules]
}

test {INFO over RESP3 is a verbatim txt string} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    $c write "*2\r\n\$4\r\ninfo\r\n\$7\r\nmodules\r\n"
    $c flush
    assert_equal {=15} [$c read]
    assert_equal {txt:# Modules} [$c read]
    $c close
}

test {INFO server fields} {
    set text [r info server]
    assert_equal 7.0.15 [info_value $text redis_version]
    assert_equal standalone [info_value $text redis_mode]
    assert_equal [srv pid] [info_value $text process_id]
    assert_equal [srv port] [info_value $text tcp_port]
    assert_match {[0-9a-f]*} [info_value $text run_id]
    assert_equal 40 [string length [info_value $text run_id]]
    assert_morethan [info_value $text arch_bits] 31
    assert_match {[0-9]*} [info_value $text uptime_in_seconds]
    assert_equal 0 [info_value $text uptime_in_days]
    assert_morethan [info_value $text hz] 0
    assert_morethan [info_value $text configured_hz] 0
    assert_match {[0-9]*} [info_value $text lru_clock]
    assert_match {/*} [info_value $text executable]
    assert {[file exists [info_value $text executable]]}
    assert {[info_value $text multiplexing_api] in {epoll kqueue evport poll select}}
    assert_range [expr {[info_value $text server_time_usec] / 1000000}] [expr {[clock seconds] - 5}] [expr {[clock seconds] + 5}]
    # The run id stays the same for the life of the process.
    assert_equal [info_value $text run_id] [s run_id]
}

test {INFO clients fields} {
    set before [s connected_clients]
    set c [redis_client]
    $c ping
    assert_equal [expr {$before + 1}] [s connected_clients]
    $c close
    wait_for_condition 50 20 {[s connected_clients] == $before} else {
        fail "connected_clients did not go back to $before"
    }
    assert_equal 0 [s blocked_clients]
    foreach f {maxclients client_recent_max_input_buffer client_recent_max_output_buffer cluster_connections} {
        assert_match {[0-9]*} [s $f]
    }
}

test {Clients held by CLIENT PAUSE count as blocked} {
    r client pause 100000 write
    set rd [redis_deferring_client]
    $rd set paused:key 1
    wait_for_condition 50 20 {[s blocked_clients] == 1} else {
        fail "the paused client is not counted in blocked_clients"
    }
    r client unpause
    assert_equal OK [$rd read]
    assert_equal 0 [s blocked_clients]
    $rd close
}

test {INFO memory fields} {
    set text [r info memory]
    foreach f {used_memory used_memory_rss used_memory_peak used_memory_overhead
               used_memory_dataset allocator_allocated allocator_active allocator_resident
               total_system_memory maxmemory lazyfree_pending_objects lazyfreed_objects} {
        assert_match {[0-9]*} [info_value $text $f] $f
    }
    foreach f {used_memory_human used_memory_rss_human used_memory_peak_human maxmemory_human} {
        assert {[regexp {^[0-9]+(\.[0-9][0-9][KMGTP])?B?$} [info_value $text $f]]} "$f: [info_value $text $f]"
    }
    assert_equal 0B [info_value $text maxmemory_human]
    assert_equal noeviction [info_value $text maxmemory_policy]
    assert_match {[0-9]*.[0-9][0-9]} [info_value $text mem_fragmentation_ratio]
    assert_match {[0-9]*.[0-9][0-9]} [info_value $text allocator_frag_ratio]
    assert_match {*%} [info_value $text used_memory_peak_perc]
    assert {[regexp {^(jemalloc|libc)} [info_value $text mem_allocator]]}
    assert_morethan_equal [info_value $text used_memory_peak] [info_value $text used_memory]
}

test {INFO used_memory grows with the dataset and the peak follows} {
    r flushall
    set before [s used_memory]
    for {set i 0} {$i < 200} {incr i} { r set bigkey:$i [string repeat x 1000] }
    assert_morethan [s used_memory] [expr {$before + 150000}]
    assert_morethan_equal [s used_memory_peak] [s used_memory]
    r flushall
}

test {INFO persistence fields and changes since the last save} {
    set text [r info persistence]
    assert_equal 0 [info_value $text loading]
    assert_equal 0 [info_value $text rdb_bgsave_in_progress]
    assert_equal ok [info_value $text rdb_last_bgsave_status]
    assert_equal 0 [info_value $text aof_enabled]
    assert_range [info_value $text rdb_last_save_time] 1 [expr {[clock seconds] + 5}]
    set before [s rdb_changes_since_last_save]
    r set dirty:a 1
    r set dirty:b 2
    r get dirty:a
    assert_equal [expr {$before + 2}] [s rdb_changes_since_last_save]
}

test {INFO replication says this is a master without replicas} {
    set text [r info replication]
    assert_equal master [info_value $text role]
    assert_equal 0 [info_value $text connected_slaves]
    assert_match {[0-9a-f]*} [info_value $text master_replid]
    assert_equal 40 [string length [info_value $text master_replid]]
    assert_equal [info_value $text master_replid] [s master_replid]
    assert_match {[0-9]*} [info_value $text master_repl_offset]
}

test {INFO cpu fields are seconds with microseconds} {
    set text [r info cpu]
    foreach f {used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children
               used_cpu_sys_main_thread used_cpu_user_main_thread} {
        assert {[regexp {^[0-9]+\.[0-9]{6}$} [info_value $text $f]]} "$f: [info_value $text $f]"
    }
}

test {INFO cluster says cluster mode is off} {
    assert_equal 0 [s cluster_enabled]
}

}

start_server {tags {"info"}} {

test {INFO stats counts commands, connections, hits and misses} {
    set text [r info stats]
    foreach f {total_connections_received total_commands_processed instantaneous_ops_per_sec
               total_net_input_bytes total_net_output_bytes rejected_connections expired_keys
               evicted_keys keyspace_hits keyspace_misses total_error_replies
               total_reads_processed total_writes_processed} {
        assert_match {[0-9]*} [info_value $text $f] $f
    }
    assert_match {[0-9]*.[0-9][0-9]} [info_value $text instantaneous_input_kbps]
    set cmds [s total_commands_processed]
    r ping
    r ping
    # The INFO of the previous line counts too.
    assert_equal [expr {$cmds + 3}] [s total_commands_processed]

    set conns [s total_connections_received]
    set c [redis_client]
    $c ping
    $c close
    assert_equal [expr {$conns + 1}] [s total_connections_received]

    r set hit:key 1
    set hits [s keyspace_hits]
    set misses [s keyspace_misses]
    r get hit:key
    r get hit:key
    r get no:such:key
    assert_equal [expr {$hits + 2}] [s keyspace_hits]
    assert_equal [expr {$misses + 1}] [s keyspace_misses]

    set in [s total_net_input_bytes]
    r set netbytes [string repeat x 1000]
    assert_morethan [s total_net_input_bytes] [expr {$in + 1000}]
}

test {INFO stats counts expired keys} {
    set before [s expired_keys]
    r set expiring:key 1 px 1
    after 20
    assert_equal {} [r get expiring:key]
    assert_equal [expr {$before + 1}] [s expired_keys]
}

test {INFO instantaneous_ops_per_sec reflects recent traffic} {
    set c [redis_client]
    set ok 0
    set deadline [expr {[clock milliseconds] + 5000}]
    while {[clock milliseconds] < $deadline} {
        for {set i 0} {$i < 200} {incr i} { $c send ping }
        for {set i 0} {$i < 200} {incr i} { $c read }
        if {[s instantaneous_ops_per_sec] > 0} { set ok 1; break }
        after 50
    }
    $c close
    assert $ok "instantaneous_ops_per_sec stayed 0 under load"
}

test {INFO commandstats: calls, usec and usec_per_call} {
    r set cs:key 1
    set before [cmdstat_field get calls]
    r get cs:key
    r get cs:key
    r get cs:missing
    set d [cmdstat get]
    assert_equal [expr {$before + 3}] [dict get $d calls]
    assert_match {[0-9]*} [dict get $d usec]
    assert {[regexp {^[0-9]+\.[0-9][0-9]$} [dict get $d usec_per_call]]}
    assert_equal 0 [dict get $d rejected_calls]
    assert_equal 0 [dict get $d failed_calls]
    # The line itself, field by field.
    assert_match {calls=*,usec=*,usec_per_call=*,rejected_calls=*,failed_calls=*} \
        [info_value [r info commandstats] cmdstat_get]
}

test {INFO commandstats: a command never called has no line} {
    assert_equal {} [info_value [r info commandstats] cmdstat_renamenx]
}

test {INFO commandstats: wrong arity counts as a rejected call, not a call} {
    set calls [cmdstat_field set calls]
    set rejected [cmdstat_field set rejected_calls]
    assert_error {*wrong number of arguments for 'set' command*} {r set onlykey}
    assert_equal $calls [cmdstat_field set calls]
    assert_equal [expr {$rejected + 1}] [cmdstat_field set rejected_calls]
    # A command only ever rejected still gets its line.
    assert_error {*wrong number of arguments*} {r getdel}
    assert_match {calls=0,*rejected_calls=1,failed_calls=0} [info_value [r info commandstats] cmdstat_getdel]
}

test {INFO commandstats: an error reply counts as a failed call} {
    r set notanumber abc
    set calls [cmdstat_field incr calls]
    set failed [cmdstat_field incr failed_calls]
    assert_error {*not an integer*} {r incr notanumber}
    assert_equal [expr {$calls + 1}] [cmdstat_field incr calls]
    assert_equal [expr {$failed + 1}] [cmdstat_field incr failed_calls]
}

test {INFO commandstats: WRONGTYPE counts as a failed call} {
    if {[catch {r rpush cs:list a}]} { skip "no list type yet" }
    set failed [cmdstat_field get failed_calls]
    assert_error {WRONGTYPE*} {r get cs:list}
    assert_equal [expr {$failed + 1}] [cmdstat_field get failed_calls]
}

test {INFO commandstats: subcommands have their own lines} {
    r set sub:key 1
    r object encoding sub:key
    r object encoding sub:key
    assert_equal 2 [cmdstat_field object|encoding calls]
    assert_equal {} [info_value [r info commandstats] cmdstat_object]
}

test {INFO errorstats counts errors by code} {
    set err [errorstat ERR]
    set total [s total_error_replies]
    assert_error {*not an integer*} {r incr notanumber}
    assert_error {*unknown command*} {r nosuchcommand}
    assert_equal [expr {$err + 2}] [errorstat ERR]
    assert_equal [expr {$total + 2}] [s total_error_replies]
    assert_match {count=*} [info_value [r info errorstats] errorstat_ERR]
}

test {INFO errorstats counts WRONGTYPE separately} {
    if {[catch {r rpush es:list a}]} { skip "no list type yet" }
    set before [errorstat WRONGTYPE]
    assert_error {WRONGTYPE*} {r get es:list}
    assert_equal [expr {$before + 1}] [errorstat WRONGTYPE]
}

}

start_server {tags {"info"}} {

test {INFO errorstats is the bare header before any error} {
    assert_equal "# Errorstats\r\n" [r info errorstats]
}

test {INFO keyspace is the bare header for an empty dataset} {
    r flushall
    assert_equal "# Keyspace\r\n" [r info keyspace]
}

test {INFO keyspace: one line per non-empty database} {
    r flushall
    r select 0
    r set a 1
    r set b 2
    r expire b 1000
    r select 9
    r set c 3
    set text [r info keyspace]
    assert {[regexp {^keys=2,expires=1,avg_ttl=[0-9]+$} [info_value $text db0]]} [info_value $text db0]
    assert_equal {keys=1,expires=0,avg_ttl=0} [info_value $text db9]
    assert_equal {} [info_value $text db1]
    r del c
    assert_equal {} [info_value [r info keyspace] db9]
    assert_equal {Keyspace} [info_titles [r info keyspace]]
}

}

# The fields Redis 7.0.15 prints in each section, in its order (loading_*
# appear only while loading, so they are not here).
set ::info_redis_fields {
    Server {redis_version redis_git_sha1 redis_git_dirty redis_build_id redis_mode os arch_bits
        monotonic_clock multiplexing_api atomicvar_api gcc_version process_id process_supervised
        run_id tcp_port server_time_usec uptime_in_seconds uptime_in_days hz configured_hz lru_clock
        executable config_file io_threads_active}
    Clients {connected_clients cluster_connections maxclients client_recent_max_input_buffer
        client_recent_max_output_buffer blocked_clients tracking_clients clients_in_timeout_table}
    Memory {used_memory used_memory_human used_memory_rss used_memory_rss_human used_memory_peak
        used_memory_peak_human used_memory_peak_perc used_memory_overhead used_memory_startup
        used_memory_dataset used_memory_dataset_perc allocator_allocated allocator_active
        allocator_resident total_system_memory total_system_memory_human used_memory_lua
        used_memory_vm_eval used_memory_lua_human used_memory_scripts_eval number_of_cached_scripts
        number_of_functions number_of_libraries used_memory_vm_functions used_memory_vm_total
        used_memory_vm_total_human used_memory_functions used_memory_scripts
        used_memory_scripts_human maxmemory maxmemory_human maxmemory_policy allocator_frag_ratio
        allocator_frag_bytes allocator_rss_ratio allocator_rss_bytes rss_overhead_ratio
        rss_overhead_bytes mem_fragmentation_ratio mem_fragmentation_bytes
        mem_not_counted_for_evict mem_replication_backlog mem_total_replication_buffers
        mem_clients_slaves mem_clients_normal mem_cluster_links mem_aof_buffer mem_allocator
        active_defrag_running lazyfree_pending_objects lazyfreed_objects}
    Persistence {loading async_loading current_cow_peak current_cow_size current_cow_size_age
        current_fork_perc current_save_keys_processed current_save_keys_total
        rdb_changes_since_last_save rdb_bgsave_in_progress rdb_last_save_time
        rdb_last_bgsave_status rdb_last_bgsave_time_sec rdb_current_bgsave_time_sec rdb_saves
        rdb_last_cow_size rdb_last_load_keys_expired rdb_last_load_keys_loaded aof_enabled
        aof_rewrite_in_progress aof_rewrite_scheduled aof_last_rewrite_time_sec
        aof_current_rewrite_time_sec aof_last_bgrewrite_status aof_rewrites
        aof_rewrites_consecutive_failures aof_last_write_status aof_last_cow_size
        module_fork_in_progress module_fork_last_cow_size}
    Stats {total_connections_received total_commands_processed instantaneous_ops_per_sec
        total_net_input_bytes total_net_output_bytes total_net_repl_input_bytes
        total_net_repl_output_bytes instantaneous_input_kbps instantaneous_output_kbps
        instantaneous_input_repl_kbps instantaneous_output_repl_kbps rejected_connections sync_full
        sync_partial_ok sync_partial_err expired_keys expired_stale_perc
        expired_time_cap_reached_count expire_cycle_cpu_milliseconds evicted_keys evicted_clients
        total_eviction_exceeded_time current_eviction_exceeded_time keyspace_hits keyspace_misses
        pubsub_channels pubsub_patterns pubsubshard_channels latest_fork_usec total_forks
        migrate_cached_sockets slave_expires_tracked_keys active_defrag_hits active_defrag_misses
        active_defrag_key_hits active_defrag_key_misses total_active_defrag_time
        current_active_defrag_time tracking_total_keys tracking_total_items tracking_total_prefixes
        unexpected_error_replies total_error_replies dump_payload_sanitizations
        total_reads_processed total_writes_processed io_threaded_reads_processed
        io_threaded_writes_processed reply_buffer_shrinks reply_buffer_expands}
    Replication {role connected_slaves master_failover_state master_replid master_replid2
        master_repl_offset second_repl_offset repl_backlog_active repl_backlog_size
        repl_backlog_first_byte_offset repl_backlog_histlen}
    CPU {used_cpu_sys used_cpu_user used_cpu_sys_children used_cpu_user_children
        used_cpu_sys_main_thread used_cpu_user_main_thread}
    Cluster {cluster_enabled}
}

# The field names of one INFO section, in order.
proc info_fields {text} {
    set fields {}
    foreach line [split $text "\n"] {
        set line [string trimright $line "\r"]
        if {$line eq "" || [string match "#*" $line]} continue
        lappend fields [lindex [split $line :] 0]
    }
    return $fields
}

start_server {tags {"info"}} {

test {INFO has every field of Redis 7.0, in Redis's order} {
    dict for {section expected} $::info_redis_fields {
        set fields [info_fields [r info [string tolower $section]]]
        # Fields of ringkv's own may sit among them; Redis's keep their order.
        set common {}
        foreach f $fields { if {$f in $expected} { lappend common $f } }
        assert_equal [list {*}$expected] $common "section $section"
    }
}

test {INFO redis_build_id is a hex id, the same for the process lifetime} {
    set id [s redis_build_id]
    assert_match {[0-9a-f]*} $id
    assert {[regexp {^[0-9a-f]+$} $id]}
    assert_equal $id [s redis_build_id]
}

test {INFO memory: startup, overhead and dataset} {
    r flushall
    set startup [s used_memory_startup]
    assert_morethan $startup 0
    r debug populate 5000 info 100
    set text [r info memory]
    set used [info_value $text used_memory]
    set overhead [info_value $text used_memory_overhead]
    set dataset [info_value $text used_memory_dataset]
    # The start-up baseline does not move with the data.
    assert_equal $startup [info_value $text used_memory_startup]
    assert_morethan_equal $overhead $startup
    assert_morethan $dataset [expr {5000 * 100}]
    # overhead + dataset = used (measured a few allocations apart).
    assert_range [expr {$overhead + $dataset}] [expr {$used - 2000}] [expr {$used + 2000}]
    assert_match {*%} [info_value $text used_memory_dataset_perc]
    r flushall
    assert_lessthan [s used_memory_dataset] $dataset
}

test {INFO memory: no scripting, so no script or function memory} {
    set text [r info memory]
    foreach f {number_of_cached_scripts number_of_functions number_of_libraries used_memory_scripts_eval} {
        assert_equal 0 [info_value $text $f] $f
    }
    assert_equal 0 [info_value $text active_defrag_running]
}

test {INFO memory: mem_clients_normal grows with a client's query buffer} {
    set before [s mem_clients_normal]
    set c [redis_client]
    # A command arriving in part: its bytes wait in the query buffer.
    $c write "*3\r\n\$3\r\nSET\r\n\$9\r\ninfo:qbuf\r\n\$2000000\r\n[string repeat x 1000000]"
    $c flush
    wait_for_condition 100 20 {[s mem_clients_normal] > $before + 900000} else {
        fail "mem_clients_normal did not grow: [s mem_clients_normal] (was $before)"
    }
    $c close
}

test {INFO memory: used_memory_peak keeps a peak that is gone} {
    r flushall
    set before [s used_memory]
    r debug populate 50000 peak 100
    r flushall
    assert_morethan [s used_memory_peak] [expr {$before + 50000 * 100}]
    assert_lessthan [s used_memory] [expr {$before + 50000 * 100}]
}

test {INFO clients: clients_in_timeout_table counts blocked clients with a timeout} {
    r del info:blk
    assert_equal 0 [s clients_in_timeout_table]
    assert_equal 0 [s tracking_clients]
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    $rd1 blpop info:blk 100
    $rd2 blpop info:blk 0
    wait_for_condition 50 20 {[s blocked_clients] == 2} else {
        fail "the clients did not block"
    }
    # Only the one with a deadline.
    assert_equal 1 [s clients_in_timeout_table]
    r rpush info:blk a b
    assert_equal {info:blk a} [$rd1 read]
    assert_equal {info:blk b} [$rd2 read]
    assert_equal 0 [s clients_in_timeout_table]
    $rd1 close
    $rd2 close
}

test {INFO persistence: keys loaded and expired by the last load} {
    r flushall
    r debug set-active-expire 0
    r set load:a 1
    r set load:b 2
    r set load:c 3 px 1
    after 20
    r debug reload
    r debug set-active-expire 1
    assert_equal 2 [s rdb_last_load_keys_loaded]
    assert_equal 1 [s rdb_last_load_keys_expired]
    assert_equal 2 [r dbsize]
    r flushall
}

test {INFO persistence: save progress and fork fields when no save runs} {
    set text [r info persistence]
    foreach f {current_save_keys_processed current_save_keys_total current_cow_peak current_cow_size
               current_cow_size_age rdb_last_cow_size aof_last_cow_size module_fork_in_progress
               aof_rewrites_consecutive_failures} {
        assert_equal 0 [info_value $text $f] $f
    }
    assert_equal 0.00 [info_value $text current_fork_perc]
}

test {INFO stats: the new counters are numbers} {
    set text [r info stats]
    foreach f {evicted_clients total_eviction_exceeded_time current_eviction_exceeded_time
               latest_fork_usec total_forks migrate_cached_sockets slave_expires_tracked_keys
               active_defrag_hits active_defrag_misses active_defrag_key_hits active_defrag_key_misses
               total_active_defrag_time current_active_defrag_time tracking_total_keys
               tracking_total_items tracking_total_prefixes dump_payload_sanitizations
               reply_buffer_shrinks reply_buffer_expands} {
        assert {[string is integer -strict [info_value $text $f]]} "$f: [info_value $text $f]"
    }
}

test {INFO stats: time spent over maxmemory} {
    r config resetstat
    assert_equal 0 [s total_eviction_exceeded_time]
    assert_equal 0 [s current_eviction_exceeded_time]
    r set info:evict [string repeat x 1000]
    r config set maxmemory-policy noeviction
    r config set maxmemory 1
    assert_error "OOM *" {r set info:evict2 1}
    after 300
    set current [s current_eviction_exceeded_time]
    assert_morethan_equal $current 250
    assert_morethan_equal [s total_eviction_exceeded_time] $current
    # Back under the limit: the stretch ends at the next command.
    r config set maxmemory 1gb
    r ping
    assert_equal 0 [s current_eviction_exceeded_time]
    set total [s total_eviction_exceeded_time]
    assert_morethan_equal $total $current
    after 100
    assert_equal $total [s total_eviction_exceeded_time]
    r config set maxmemory 0
    r config resetstat
    assert_equal 0 [s total_eviction_exceeded_time]
    r del info:evict
}

test {INFO replication: repl_backlog_size is a number} {
    assert {[string is integer -strict [s repl_backlog_size]]}
}

}

tags {ringkv-only} {
start_server {tags {"info"}} {
    test {INFO dump_payload_sanitizations counts the compact blobs checked on RESTORE} {
        # ringkv always checks listpacks and intsets deeply (Redis only
        # with sanitize-dump-payload yes).
        r del san:h san:s
        r hset san:h a 1 b 2
        r sadd san:s 1 2 3
        set dh [r dump san:h]
        set ds [r dump san:s]
        set before [s dump_payload_sanitizations]
        r restore san:h2 0 $dh
        r restore san:s2 0 $ds
        assert_equal [expr {$before + 2}] [s dump_payload_sanitizations]
        r config resetstat
        assert_equal 0 [s dump_payload_sanitizations]
    }
    test {INFO memory: no Lua, no functions, so their memory is 0} {
        foreach f {used_memory_lua used_memory_vm_eval used_memory_vm_functions used_memory_vm_total
                   used_memory_functions used_memory_scripts} {
            assert_equal 0 [s $f] $f
        }
        assert_equal 0B [s used_memory_lua_human]
    }
}
}

start_server {tags {"info"} overrides {maxclients 123 maxmemory 1mb maxmemory-policy allkeys-lru}} {
    test {INFO maxclients and maxmemory follow the configuration} {
        assert_equal 123 [s maxclients]
        assert_equal 1048576 [s maxmemory]
        assert_equal 1.00M [s maxmemory_human]
        assert_equal allkeys-lru [s maxmemory_policy]
    }
}

tags {ringkv-only} {
    foreach backend {poll select} {
        start_server [list overrides [list event-backend $backend]] {
            test "INFO multiplexing_api reports the event backend in use ($backend)" {
                assert_equal $backend [s multiplexing_api]
            }
        }
    }
    start_server {} {
        test {INFO server reports ringkv_version} {
            assert_match {[0-9]*.[0-9]*.[0-9]*} [s ringkv_version]
        }
    }
}
