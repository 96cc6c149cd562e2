# util.tcl: small helpers shared by test files.
#
# What it owns: random data generators, INFO field access, log counting,
# replication offset waits, scratch directories and dataset dumps.
#
# Why it is built this way: each helper is a plain proc over the public API
# (`r`, `srv`, client handles), so a test can be read without knowing the
# framework's internals. Random helpers use Tcl's `rand()`, seeded by the
# runner (--seed), so a failing run can be replayed.

# randomInt max: integer in [0, max).
proc randomInt {max} {
    expr {int(rand() * $max)}
}

# randomSignedInt max: integer in (-max, max).
proc randomSignedInt {max} {
    set i [randomInt $max]
    if {rand() > 0.5} { set i -$i }
    return $i
}

# randstring min max ?type?: a string of min..max characters.
#   type: binary (bytes 0-255), alpha (printable ASCII, the default),
#         compr (a few letters, compresses well), simplealpha (a-z).
proc randstring {min max {type alpha}} {
    set len [expr {$min + [randomInt [expr {$max - $min + 1}]]}]
    switch -- $type {
        binary      { set lo 0;   set hi 255 }
        alpha       { set lo 48;  set hi 122 }
        compr       { set lo 48;  set hi 52 }
        simplealpha { set lo 97;  set hi 122 }
        default     { error "randstring: unknown type '$type'" }
    }
    set out ""
    for {set i 0} {$i < $len} {incr i} {
        append out [format %c [expr {$lo + [randomInt [expr {$hi - $lo + 1}]]}]]
    }
    return $out
}

# randomKey: a key from a small space, so tests hit existing keys often.
proc randomKey {} {
    return "key:[randomInt 1000]"
}

# randomValue: a string, integer or float value in varied encodings.
proc randomValue {} {
    switch [randomInt 4] {
        0 { return [randomSignedInt 100000] }
        1 { return [expr {rand() * 1000}] }
        2 { return [randstring 0 60 alpha] }
        3 { return [randstring 0 300 binary] }
    }
}

# tmpdir ?name?: a fresh directory under tests/tmp (absolute path). It is
# removed at the end of a run with no failures.
proc tmpdir {{name dir}} {
    set path [file join $::rkv::tmp_root tmpdir.$::rkv::runner_pid.[incr ::rkv::next_server_id].$name]
    file mkdir $path
    return $path
}

# status client field: one field of INFO from a client handle ("" if absent).
proc status {client field} {
    set info [$client info]
    if {[regexp "\r?\n$field:(\[^\r\n\]*)" "\n$info" -> value]} {
        return $value
    }
    return ""
}

# s ?level? field: INFO field of the server at level (default 0).
proc s {args} {
    set level 0
    if {[string is integer -strict [lindex $args 0]]} {
        set args [lassign $args level]
    }
    return [status [srv $level client] [lindex $args 0]]
}

# count_log_message level pattern: lines of the server log containing the
# glob pattern.
proc count_log_message {level pattern} {
    set count 0
    foreach line [split [::rkv::read_file [srv $level stdout]] "\n"] {
        if {[string match "*$pattern*" $line]} { incr count }
    }
    return $count
}

# wait_for_ofs_sync c1 c2: wait until two servers (given as clients) report
# the same master_repl_offset.
proc wait_for_ofs_sync {c1 c2} {
    wait_for_condition 100 50 {
        [status $c1 master_repl_offset] eq [status $c2 master_repl_offset]
    } else {
        fail "replication offsets did not converge: [status $c1 master_repl_offset] vs [status $c2 master_repl_offset]"
    }
}
interp alias {} wait_for_ofs {} wait_for_ofs_sync

# debug_sleep seconds ?level?: make the server block for a while.
proc debug_sleep {seconds {level 0}} {
    r $level debug sleep $seconds
}

# debug_populate count ?prefix? ?size? ?level?: create count string keys
# prefix:0..count-1. Uses DEBUG POPULATE, falling back to pipelined SETs
# when the server does not support it.
proc debug_populate {count {prefix key} {size 0} {level 0}} {
    if {![catch {r $level debug populate $count $prefix {*}[expr {$size ? $size : ""}]}]} {
        return
    }
    set c [redis_client $level]
    set batch 0
    for {set i 0} {$i < $count} {incr i} {
        set value [expr {$size ? [string repeat x $size] : "value:$i"}]
        $c send set $prefix:$i $value
        if {[incr batch] == 1000 || $i == $count - 1} {
            for {} {$batch > 0} {incr batch -1} { $c read }
        }
    }
    $c close
}

# csvdump ?level?: the whole keyspace of the current database as sorted CSV
# lines, for comparing two servers.
proc csvdump {{level 0}} {
    set out ""
    foreach key [lsort [r $level keys *]] {
        set type [r $level type $key]
        switch -- $type {
            string { set fields [list [r $level get $key]] }
            list   { set fields [r $level lrange $key 0 -1] }
            set    { set fields [lsort [r $level smembers $key]] }
            zset   { set fields [r $level zrange $key 0 -1 withscores] }
            hash   {
                set pairs {}
                foreach {f v} [r $level hgetall $key] { lappend pairs [list $f $v] }
                set fields {}
                foreach pair [lsort -index 0 $pairs] { lappend fields {*}$pair }
            }
            default { set fields [list "<$type>"] }
        }
        set line "\"$key\",\"$type\""
        foreach f $fields { append line ",\"$f\"" }
        append out $line "\n"
    }
    return $out
}
