#!/usr/bin/env tclsh
# gen-command-table.tcl -- writes src/command_table.c, the catalogue of every
# Redis 7.0 command and subcommand, from a running reference redis-server.
#
# Usage:
#   redis-server --port 7208 --save "" --daemonize yes
#   tclsh utils/gen-command-table.tcl --port 7208 [--host 127.0.0.1] \
#         [--out src/command_table.c]
#
# What comes from the server, and what does not:
#   * Facts are read over a plain RESP connection: COMMAND INFO gives arity,
#     flags, ACL categories, the legacy key range, command tips and key specs;
#     COMMAND DOCS gives since, group, doc flags, deprecation, the versions of
#     the history entries and the structure of every argument tree.
#   * Prose is ours.  Summaries, history texts and key-spec notes are taken
#     from the tables at the bottom of this file (keyed by command name, never
#     by the server's wording); the server's prose is read only to know *that*
#     a note or a history entry exists.  A complexity is kept only when it is a
#     bare formula such as "O(log(N))"; explanatory complexity text is left out.
#     replaced_by is kept as stated: it only names the replacing command and
#     its arguments.
#   * Two flags are not shown by COMMAND INFO and are added from the
#     `hidden_flags` table below (may_replicate and protected), because the
#     dispatcher needs them (CLIENT PAUSE WRITE, enable-debug-command).
#
# The output is deterministic: commands sorted by name, each parent followed
# by its subcommands, so a regeneration against the same server is a no-op.
# Sentinel-only and module commands are not served by a plain redis-server,
# so they never enter the table.

package require Tcl 8.6

# ---------------------------------------------------------------- RESP client

proc respRead {fd} {
    set line [gets $fd]
    if {[eof $fd]} { error "connection closed by the server" }
    set line [string trimright $line "\r"]
    set type [string index $line 0]
    set rest [string range $line 1 end]
    switch -- $type {
        + - : { return $rest }
        - { error "server error: $rest" }
        $ {
            if {$rest < 0} { return {} }
            set data [read $fd [expr {$rest + 2}]]
            return [string range $data 0 end-2]
        }
        * {
            set items {}
            if {$rest < 0} { return {} }
            for {set i 0} {$i < $rest} {incr i} { lappend items [respRead $fd] }
            return $items
        }
        default { error "unexpected RESP type byte '$type'" }
    }
}

proc respCall {fd args} {
    set req "*[llength $args]\r\n"
    foreach a $args { append req "\$[string length $a]\r\n$a\r\n" }
    puts -nonewline $fd $req
    flush $fd
    return [respRead $fd]
}

# ------------------------------------------------------------ name helpers

# Handler name of a command: camelCase of the full name, '|' '-' '_' dropped.
proc procName {fullname} {
    set parts [split [string tolower $fullname] "|-_"]
    set out [lindex $parts 0]
    foreach p [lrange $parts 1 end] {
        append out [string toupper [string index $p 0]][string range $p 1 end]
    }
    return "${out}Command"
}

# C identifier prefix for the static arrays of one command.
proc cIdent {fullname} {
    return [string map {| _ - _} [string tolower $fullname]]
}

# A C string literal (NULL for "no value").
proc cStr {s} {
    set s [string map [list \\ \\\\ \" \\\" ? \\? \n \\n \t \\t] $s]
    return "\"$s\""
}

proc mapFlags {names table what} {
    set out {}
    foreach n $names {
        if {![dict exists $table $n]} { error "unknown $what '$n'" }
        lappend out [dict get $table $n]
    }
    if {![llength $out]} { return 0 }
    return [join $out " | "]
}

set cmdFlagMacros {
    write CMD_WRITE readonly CMD_READONLY denyoom CMD_DENYOOM module CMD_MODULE
    admin CMD_ADMIN pubsub CMD_PUBSUB noscript CMD_NOSCRIPT blocking CMD_BLOCKING
    loading CMD_LOADING stale CMD_STALE skip_monitor CMD_SKIP_MONITOR
    skip_slowlog CMD_SKIP_SLOWLOG asking CMD_ASKING fast CMD_FAST
    no_auth CMD_NO_AUTH may_replicate CMD_MAY_REPLICATE
    no_mandatory_keys CMD_NO_MANDATORY_KEYS protected CMD_PROTECTED
    no_async_loading CMD_NO_ASYNC_LOADING no_multi CMD_NO_MULTI
    movablekeys CMD_MOVABLE_KEYS allow_busy CMD_ALLOW_BUSY
}
set aclMacros {
    @keyspace ACL_CATEGORY_KEYSPACE @read ACL_CATEGORY_READ @write ACL_CATEGORY_WRITE
    @set ACL_CATEGORY_SET @sortedset ACL_CATEGORY_SORTEDSET @list ACL_CATEGORY_LIST
    @hash ACL_CATEGORY_HASH @string ACL_CATEGORY_STRING @bitmap ACL_CATEGORY_BITMAP
    @hyperloglog ACL_CATEGORY_HYPERLOGLOG @geo ACL_CATEGORY_GEO
    @stream ACL_CATEGORY_STREAM @pubsub ACL_CATEGORY_PUBSUB @admin ACL_CATEGORY_ADMIN
    @fast ACL_CATEGORY_FAST @slow ACL_CATEGORY_SLOW @blocking ACL_CATEGORY_BLOCKING
    @dangerous ACL_CATEGORY_DANGEROUS @connection ACL_CATEGORY_CONNECTION
    @transaction ACL_CATEGORY_TRANSACTION @scripting ACL_CATEGORY_SCRIPTING
}
set keyFlagMacros {
    RO CMD_KEY_RO RW CMD_KEY_RW OW CMD_KEY_OW RM CMD_KEY_RM
    access CMD_KEY_ACCESS update CMD_KEY_UPDATE insert CMD_KEY_INSERT
    delete CMD_KEY_DELETE not_key CMD_KEY_NOT_KEY incomplete CMD_KEY_INCOMPLETE
    variable_flags CMD_KEY_VARIABLE_FLAGS
}
set argTypeMacros {
    string CMD_ARG_STRING integer CMD_ARG_INTEGER double CMD_ARG_DOUBLE
    key CMD_ARG_KEY pattern CMD_ARG_PATTERN unix-time CMD_ARG_UNIX_TIME
    pure-token CMD_ARG_PURE_TOKEN oneof CMD_ARG_ONEOF block CMD_ARG_BLOCK
}
set argFlagMacros {
    optional CMD_ARG_OPTIONAL multiple CMD_ARG_MULTIPLE
    multiple_token CMD_ARG_MULTIPLE_TOKEN
}
set docFlagMacros {deprecated CMD_DOC_DEPRECATED syscmd CMD_DOC_SYSCMD}

# ------------------------------------------------------------- emission

# Emits the static arrays for one argument list; returns the array's name.
proc emitArgs {outVar prefix args_} {
    upvar 1 $outVar out
    set rows {}
    set i 0
    foreach a $args_ {
        set name [dict get $a name]
        set row "    {.name = [cStr $name], .type = [mapFlags [list [dict get $a type]] $::argTypeMacros {argument type}]"
        if {[dict exists $a key_spec_index]} {
            append row ", .key_spec_index = [dict get $a key_spec_index]"
        } else {
            append row ", .key_spec_index = -1"
        }
        foreach field {token summary since deprecated_since} {
            if {[dict exists $a $field]} { append row ", .$field = [cStr [dict get $a $field]]" }
        }
        if {[dict exists $a flags]} {
            append row ", .flags = [mapFlags [dict get $a flags] $::argFlagMacros {argument flag}]"
        }
        if {[dict exists $a arguments]} {
            set sub [emitArgs out "${prefix}_$i" [dict get $a arguments]]
            append row ", .subargs = $sub, .numsubargs = [llength [dict get $a arguments]]"
        }
        append row "},"
        lappend rows $row
        incr i
    }
    append out "static const commandArg ${prefix}\[\] = {\n[join $rows \n]\n};\n"
    return $prefix
}

# Emits the arrays of one command and returns its commandFacts initializer.
proc emitCommand {outVar info doc parent} {
    upvar 1 $outVar out
    lassign $info fullname arity flags firstkey lastkey keystep acl tips specs subs
    set id [cIdent $fullname]
    set name [lindex [split $fullname |] end]
    # Hidden flags the server does not report.
    if {[dict exists $::hidden_flags $fullname]} {
        lappend flags {*}[dict get $::hidden_flags $fullname]
    }
    set fields {}
    lappend fields ".name = [cStr $name]"
    lappend fields ".parent = [expr {$parent eq {} ? {NULL} : [cStr $parent]}]"
    lappend fields ".arity = $arity"
    lappend fields ".flags = [mapFlags $flags $::cmdFlagMacros {command flag}]"
    lappend fields ".acl_categories = [mapFlags $acl $::aclMacros {ACL category}]"
    lappend fields ".firstkey = $firstkey, .lastkey = $lastkey, .keystep = $keystep"

    if {[llength $tips]} {
        set t {}
        foreach tip $tips { lappend t "    [cStr $tip]," }
        append out "static const char *const ${id}_tips\[\] = {\n[join $t \n]\n};\n"
        lappend fields ".tips = ${id}_tips, .num_tips = [llength $tips]"
    }

    if {[llength $specs]} {
        set rows {}
        set idx 0
        foreach ks $specs {
            set row "    {"
            if {[dict exists $ks notes]} {
                set key "$fullname $idx"
                if {![dict exists $::own_notes $key]} {
                    error "key spec $idx of '$fullname' has a note on the server: write ours in own_notes"
                }
                append row ".notes = [cStr [dict get $::own_notes $key]], "
            }
            append row ".flags = [mapFlags [dict get $ks flags] $::keyFlagMacros {key spec flag}]"
            set bs [dict get $ks begin_search]
            switch -- [dict get $bs type] {
                index {
                    append row ", .bs_type = KSPEC_BS_INDEX, .bs_index = [dict get $bs spec index]"
                }
                keyword {
                    append row ", .bs_type = KSPEC_BS_KEYWORD, .bs_keyword = [cStr [dict get $bs spec keyword]], .bs_startfrom = [dict get $bs spec startfrom]"
                }
                unknown { append row ", .bs_type = KSPEC_BS_UNKNOWN" }
                default { error "unknown begin_search type for $fullname" }
            }
            set fk [dict get $ks find_keys]
            switch -- [dict get $fk type] {
                range {
                    append row ", .fk_type = KSPEC_FK_RANGE, .fk_lastkey = [dict get $fk spec lastkey], .fk_keystep = [dict get $fk spec keystep], .fk_limit = [dict get $fk spec limit]"
                }
                keynum {
                    append row ", .fk_type = KSPEC_FK_KEYNUM, .fk_keynumidx = [dict get $fk spec keynumidx], .fk_firstkey = [dict get $fk spec firstkey], .fk_keystep = [dict get $fk spec keystep]"
                }
                unknown { append row ", .fk_type = KSPEC_FK_UNKNOWN" }
                default { error "unknown find_keys type for $fullname" }
            }
            append row "},"
            lappend rows $row
            incr idx
        }
        append out "static const commandKeySpec ${id}_keyspecs\[\] = {\n[join $rows \n]\n};\n"
        lappend fields ".key_specs = ${id}_keyspecs, .num_key_specs = [llength $specs]"
    }

    # Docs.
    if {[dict exists $::own_summaries $fullname]} {
        lappend fields ".summary = [cStr [dict get $::own_summaries $fullname]]"
    } else {
        puts stderr "warning: no summary written for '$fullname'"
    }
    foreach field {since group} {
        if {[dict exists $doc $field]} { lappend fields ".$field = [cStr [dict get $doc $field]]" }
    }
    if {[dict exists $doc complexity]} {
        set cx [dict get $doc complexity]
        if {[regexp {^O\([^ ]*\)$} $cx]} { lappend fields ".complexity = [cStr $cx]" }
    }
    if {[dict exists $doc doc_flags]} {
        lappend fields ".doc_flags = [mapFlags [dict get $doc doc_flags] $::docFlagMacros {doc flag}]"
    }
    foreach field {deprecated_since replaced_by} {
        if {[dict exists $doc $field]} { lappend fields ".$field = [cStr [dict get $doc $field]]" }
    }
    if {[dict exists $doc history]} {
        set versions {}
        foreach h [dict get $doc history] { lappend versions [lindex $h 0] }
        set texts {}
        if {[dict exists $::own_history $fullname]} { set texts [dict get $::own_history $fullname] }
        if {[llength $texts] != [llength $versions]} {
            error "'$fullname' has [llength $versions] history entries on the server, own_history has [llength $texts]"
        }
        set rows {}
        foreach v $versions t $texts { lappend rows "    {[cStr $v], [cStr $t]}," }
        append out "static const commandHistory ${id}_history\[\] = {\n[join $rows \n]\n};\n"
        lappend fields ".history = ${id}_history, .num_history = [llength $versions]"
    }
    if {[dict exists $doc arguments]} {
        set a [emitArgs out "${id}_args" [dict get $doc arguments]]
        lappend fields ".args = $a, .num_args = [llength [dict get $doc arguments]]"
    }
    set pn [procName $fullname]
    lappend ::procs $pn
    if {$pn in $::proc_name_clashes} {
        lappend fields ".proc = ${pn}Handler"
    } else {
        lappend fields ".proc = $pn"
    }
    return "    {[join $fields {, }]},"
}

# ------------------------------------------------------------------- main

proc main {argv} {
    set host 127.0.0.1
    set port ""
    set outfile [file join [file dirname [info script]] .. src command_table.c]
    foreach {opt val} $argv {
        switch -- $opt {
            --host { set host $val }
            --port { set port $val }
            --out { set outfile $val }
            default { error "usage: gen-command-table.tcl --port PORT \[--host H\] \[--out FILE\]" }
        }
    }
    if {$port eq ""} { error "--port is required" }
    set fd [socket $host $port]
    fconfigure $fd -translation binary -buffering full
    set version ""
    foreach line [split [respCall $fd INFO server] "\n"] {
        regexp {^redis_version:([0-9.]+)} [string trim $line] -> version
    }
    if {![string match 7.0.* $version]} {
        puts stderr "warning: reference server is $version, expected 7.0.x"
    }
    set infos [respCall $fd COMMAND INFO]
    set docs [respCall $fd COMMAND DOCS]
    close $fd

    set byname {}
    foreach e $infos { dict set byname [lindex $e 0] $e }

    set ::procs {}
    set body ""
    set rows {}
    foreach name [lsort [dict keys $byname]] {
        set info [dict get $byname $name]
        set doc [dict get $docs $name]
        lappend rows [emitCommand body $info $doc {}]
        set subdocs {}
        if {[dict exists $doc subcommands]} { set subdocs [dict get $doc subcommands] }
        set subs {}
        foreach s [lindex $info 9] { dict set subs [lindex $s 0] $s }
        foreach sub [lsort [dict keys $subs]] {
            set sdoc {}
            if {[dict exists $subdocs $sub]} { set sdoc [dict get $subdocs $sub] }
            lappend rows [emitCommand body [dict get $subs $sub] $sdoc $name]
        }
    }
    if {[llength [lsort -unique $::procs]] != [llength $::procs]} {
        error "two commands map to the same handler name"
    }

    set out {}
    append out "/* command_table.c -- the command catalogue: every Redis $version command and\n"
    append out " * subcommand, with the facts COMMAND INFO and COMMAND DOCS report.\n"
    append out " *\n"
    append out " * GENERATED by utils/gen-command-table.tcl from a running reference server;\n"
    append out " * do not edit by hand, change the generator and run it again.  The facts\n"
    append out " * (arity, flags, key specs, argument trees, versions) are read off the\n"
    append out " * server; the prose (summaries, notes, history texts) is our own and lives\n"
    append out " * in the generator.\n"
    append out " *\n"
    append out " * Handlers are referenced through weak symbols, so an entry's proc is NULL\n"
    append out " * until some file defines the function of that name; commands.c makes a\n"
    append out " * command visible only when it (or, for a subcommand, its parent) has one. */\n"
    append out "#include <stddef.h>\n\n#include \"command_table.h\"\n\n"
    append out "/* Handlers (weak: NULL when not implemented). */\n"
    foreach p $::procs {
        if {$p in $::proc_name_clashes} {
            # Declared under another C name (asm label) so that it compiles
            # next to the clashing prototype; the symbol is still $p.
            append out "extern void ${p}Handler\(client *c\) __asm__(\"$p\") __attribute__((weak));\n"
        } else {
            append out "extern void $p\(client *c\) __attribute__((weak));\n"
        }
    }
    append out "\n$body\n"
    append out "const commandFacts commandFactsTable\[\] = {\n[join $rows \n]\n    {.name = NULL},\n};\n"
    set f [open $outfile w]
    fconfigure $f -translation lf
    puts -nonewline $f $out
    close $f
    puts "wrote $outfile: [llength $rows] entries from redis $version"
}

# ------------------------------------------------------------ our own tables

# Flags COMMAND INFO hides.  may_replicate: the non-write commands that
# CLIENT PAUSE WRITE holds back on the reference server; protected: the
# commands gated by enable-debug-command / enable-module-command.
set hidden_flags {
    eval may_replicate evalsha may_replicate fcall may_replicate
    pfcount may_replicate publish may_replicate spublish may_replicate
    debug protected module|load protected module|loadex protected
    module|unload protected
}

# Handler names that would clash with a prototype of another meaning in the
# headers command_table.c includes.  Such a handler is declared through an asm
# label so the file still compiles, but the clash must then be fixed in that
# header (a function of another type with a handler's name would be bound as
# the handler).  Empty: keep it so.
set proc_name_clashes {}

# Key-spec notes, by "command index".
set own_notes {
    {eval 0} {The script may read or write its keys, so assume the worst: read-write with update.}
    {fcall 0} {The function may read or write its keys, so assume the worst: read-write with update.}
    {eval_ro 0} {The script may only read its keys: read-only with access.}
    {fcall_ro 0} {The function may only read its keys: read-only with access.}
    {set 0} {Read-write with access because the GET option returns the old value.}
    {sort 1} {BY and GET patterns name keys built from the sorted values, so they cannot be located.}
    {sort 2} {STORE may appear anywhere among the options, so its position is unknown.}
    {sort_ro 1} {BY and GET patterns name keys built from the sorted values, so they cannot be located.}
    {xadd 0} {Update rather than insert: the trimming options may remove entries.}
    {getex 0} {Read-write with update: the expiration may change.}
    {pfcount 0} {Read-write: counting may rewrite the cached cardinality and is replicated.}
    {bitfield 0} {Subcommands may both read and modify the key.}
}

# Histories: our own wording, one text per entry, in the server's order.
set own_history {
    acl|getuser {{Reports Pub/Sub channel patterns.} {Reports selectors; key and channel patterns shown as rules.}}
    acl|setuser {{Pub/Sub channel pattern rules.} {Selectors and per-key permission rules.}}
    auth {{Accepts a username before the password (ACL users).}}
    bgsave {{SCHEDULE option.}}
    bitcount {{BYTE and BIT index units.}}
    bitpos {{BYTE and BIT index units.}}
    blpop {{The timeout may be fractional.}}
    brpop {{The timeout may be fractional.}}
    brpoplpush {{The timeout may be fractional.}}
    bzpopmax {{The timeout may be fractional.}}
    bzpopmin {{The timeout may be fractional.}}
    client|kill {{Filter arguments as option/value pairs.} {ID filter.} {TYPE master.} {TYPE replica, with slave kept as an alias.} {LADDR filter.}}
    client|list {{Reports the client id.} {TYPE filter.} {Reports the ACL user.} {Reports argv-mem, tot-mem, laddr and redir; ID filter.} {Reports resp, multi-mem, rbs and rbp.} {Reports ssub.}}
    client|pause {{WRITE mode.}}
    cluster|meet {{Optional cluster bus port.}}
    cluster|slots {{Reports node ids.} {Reports extra networking metadata.}}
    command|info {{Without arguments, describes every command.}}
    config|get {{Several patterns in one call.}}
    config|set {{Several parameters in one call.}}
    exists {{Several keys in one call.}}
    expire {{NX, XX, GT and LT conditions.}}
    expireat {{NX, XX, GT and LT conditions.}}
    flushall {{ASYNC mode.} {SYNC mode.}}
    flushdb {{ASYNC mode.} {SYNC mode.}}
    geoadd {{CH, NX and XX options.}}
    georadius {{ANY modifier of COUNT.} {Unit names in any case.}}
    georadius_ro {{ANY modifier of COUNT.}}
    georadiusbymember {{Unit names in any case.}}
    geosearch {{Unit names in any case.}}
    geosearchstore {{Unit names in any case.}}
    hdel {{Several fields in one call.}}
    hello {{The protocol version is optional; without it the current connection is described.}}
    hset {{Several field/value pairs in one call.}}
    info {{Several sections in one call.}}
    lpop {{Optional count.}}
    lpush {{Several elements in one call.}}
    lpushx {{Several elements in one call.}}
    migrate {{COPY and REPLACE options.} {KEYS option.} {AUTH option.} {AUTH2 option.}}
    pexpire {{NX, XX, GT and LT conditions.}}
    pexpireat {{NX, XX, GT and LT conditions.}}
    pttl {{Replies -2 for a missing key.}}
    renamenx {{Renaming a key to itself is no longer an error.}}
    restore {{REPLACE option.} {ABSTTL option.} {IDLETIME and FREQ options.}}
    restore-asking {{REPLACE option.} {ABSTTL option.} {IDLETIME and FREQ options.}}
    rpop {{Optional count.}}
    rpush {{Several elements in one call.}}
    rpushx {{Several elements in one call.}}
    sadd {{Several members in one call.}}
    scan {{TYPE filter.}}
    script|flush {{ASYNC and SYNC modes.}}
    set {{EX, PX, NX and XX options.} {KEEPTTL option.} {GET, EXAT and PXAT options.} {NX and GET may be combined.}}
    shutdown {{NOW, FORCE and ABORT options.}}
    slowlog|get {{Entries report the client address and name.}}
    spop {{Optional count.}}
    srandmember {{Optional count.}}
    srem {{Several members in one call.}}
    ttl {{Replies -2 for a missing key.}}
    xadd {{NOMKSTREAM, the MINID strategy and LIMIT.} {IDs of the form <ms>-*.}}
    xautoclaim {{The reply also lists deleted entries removed from the PEL.}}
    xgroup|create {{ENTRIESREAD option.}}
    xgroup|setid {{ENTRIESREAD option.}}
    xinfo|groups {{Reports entries-read and lag.}}
    xinfo|stream {{FULL option.} {Reports max-deleted-entry-id, entries-added, recorded-first-entry-id, entries-read and lag.}}
    xpending {{IDLE filter; exclusive range bounds.}}
    xrange {{Exclusive range bounds.}}
    xrevrange {{Exclusive range bounds.}}
    xsetid {{ENTRIESADDED and MAXDELETEDID options.}}
    xtrim {{The MINID strategy and LIMIT.}}
    zadd {{Several members in one call.} {XX, NX, CH and INCR options.} {GT and LT options.}}
    zrange {{REV, BYSCORE, BYLEX and LIMIT options.}}
    zrangebyscore {{WITHSCORES option.}}
    zrem {{Several members in one call.}}
    zrevrangebyscore {{Exclusive min and max.}}
}

# One-line summaries, our own words.
set own_summaries {
    acl {Container for the access-control subcommands.}
    acl|cat {Lists the ACL categories, or the commands of one category.}
    acl|deluser {Removes ACL users and disconnects their clients.}
    acl|dryrun {Tells whether a user could run a command, without running it.}
    acl|genpass {Returns random hex characters suitable as a password.}
    acl|getuser {Describes the rules of one ACL user.}
    acl|help {Lists the ACL subcommands.}
    acl|list {Lists every ACL user as a rule line.}
    acl|load {Reloads the users from the ACL file.}
    acl|log {Shows or clears recent ACL denials.}
    acl|save {Writes the current users to the ACL file.}
    acl|setuser {Creates an ACL user or changes its rules.}
    acl|users {Lists the ACL user names.}
    acl|whoami {Returns the user of this connection.}
    append {Adds bytes at the end of a string value.}
    asking {Marks the next command as following an ASK redirection.}
    auth {Logs the connection in.}
    bgrewriteaof {Starts rewriting the append-only file in the background.}
    bgsave {Starts a snapshot in the background.}
    bitcount {Counts the set bits of a string, optionally in a range.}
    bitfield {Reads and writes integers of any width inside a string.}
    bitfield_ro {Reads integers of any width inside a string.}
    bitop {Combines strings bitwise into a destination key.}
    bitpos {Finds the first bit set to 0 or 1 in a string.}
    blmove {Moves an element between lists, waiting while the source is empty.}
    blmpop {Pops elements from the first non-empty list, waiting if all are empty.}
    blpop {Pops the head of the first non-empty list, waiting if all are empty.}
    brpop {Pops the tail of the first non-empty list, waiting if all are empty.}
    brpoplpush {Moves a list tail to another list's head, waiting while empty.}
    bzmpop {Pops members from the first non-empty sorted set, waiting if all are empty.}
    bzpopmax {Pops the highest-scored member, waiting while the sets are empty.}
    bzpopmin {Pops the lowest-scored member, waiting while the sets are empty.}
    client {Container for the connection management subcommands.}
    client|caching {Tells tracking whether to remember the keys of the next command.}
    client|getname {Returns the name of this connection.}
    client|getredir {Returns the client id tracking messages are redirected to.}
    client|help {Lists the CLIENT subcommands.}
    client|id {Returns the id of this connection.}
    client|info {Describes this connection.}
    client|kill {Closes connections matching the given filters.}
    client|list {Describes the open connections.}
    client|no-evict {Exempts this connection from client eviction.}
    client|pause {Holds back client commands for a while.}
    client|reply {Turns replies to this connection on or off.}
    client|setname {Names this connection.}
    client|tracking {Turns client-side caching invalidation on or off.}
    client|trackinginfo {Describes the tracking state of this connection.}
    client|unblock {Wakes a client blocked in a blocking command.}
    client|unpause {Ends a CLIENT PAUSE.}
    cluster {Container for the cluster subcommands.}
    cluster|addslots {Assigns hash slots to this node.}
    cluster|addslotsrange {Assigns ranges of hash slots to this node.}
    cluster|bumpepoch {Advances this node's config epoch.}
    cluster|count-failure-reports {Counts the failure reports about a node.}
    cluster|countkeysinslot {Counts the keys in a hash slot.}
    cluster|delslots {Unassigns hash slots from this node.}
    cluster|delslotsrange {Unassigns ranges of hash slots from this node.}
    cluster|failover {Promotes this replica to master.}
    cluster|flushslots {Unassigns every slot of this node.}
    cluster|forget {Drops a node from this node's view of the cluster.}
    cluster|getkeysinslot {Returns key names stored in a hash slot.}
    cluster|help {Lists the CLUSTER subcommands.}
    cluster|info {Reports the cluster state.}
    cluster|keyslot {Computes the hash slot of a key.}
    cluster|links {Describes the links to other cluster nodes.}
    cluster|meet {Connects this node to another cluster node.}
    cluster|myid {Returns this node's id.}
    cluster|nodes {Describes the cluster nodes as this node sees them.}
    cluster|replicas {Lists the replicas of a master node.}
    cluster|replicate {Makes this node a replica of a master.}
    cluster|reset {Resets this node's cluster state.}
    cluster|saveconfig {Writes the cluster config file.}
    cluster|set-config-epoch {Sets the config epoch of a fresh node.}
    cluster|setslot {Changes the state of a hash slot on this node.}
    cluster|shards {Describes the shards of the cluster.}
    cluster|slaves {Lists the replicas of a master node (old name).}
    cluster|slots {Maps slot ranges to nodes.}
    command {Describes the server's commands.}
    command|count {Counts the commands.}
    command|docs {Returns the documentation facts of commands.}
    command|getkeys {Extracts the key names from a full command line.}
    command|getkeysandflags {Extracts key names and their access flags from a command line.}
    command|help {Lists the COMMAND subcommands.}
    command|info {Describes the given commands, or all of them.}
    command|list {Lists command names, optionally filtered.}
    config {Container for the configuration subcommands.}
    config|get {Reads configuration parameters matching patterns.}
    config|help {Lists the CONFIG subcommands.}
    config|resetstat {Zeroes the server statistics.}
    config|rewrite {Writes the running configuration back to the config file.}
    config|set {Changes configuration parameters at run time.}
    copy {Duplicates the value of a key under another name.}
    dbsize {Counts the keys of the selected database.}
    debug {Developer tools for inspecting and testing the server.}
    decr {Subtracts one from an integer value.}
    decrby {Subtracts an amount from an integer value.}
    del {Removes keys.}
    discard {Drops the queued commands of a transaction.}
    dump {Serializes a value into the snapshot format.}
    echo {Replies with its argument.}
    eval {Runs a Lua script.}
    eval_ro {Runs a Lua script that does not write.}
    evalsha {Runs a cached Lua script by its SHA1 digest.}
    evalsha_ro {Runs a cached read-only Lua script by its SHA1 digest.}
    exec {Runs the queued commands of a transaction.}
    exists {Counts how many of the given keys exist.}
    expire {Sets a key's time to live in seconds.}
    expireat {Sets a key's expiry as a Unix time in seconds.}
    expiretime {Returns a key's expiry as a Unix time in seconds.}
    failover {Hands the master role over to a replica.}
    fcall {Calls a library function.}
    fcall_ro {Calls a library function that does not write.}
    flushall {Removes every key of every database.}
    flushdb {Removes every key of the selected database.}
    function {Container for the function library subcommands.}
    function|delete {Removes a function library.}
    function|dump {Serializes all function libraries.}
    function|flush {Removes all function libraries.}
    function|help {Lists the FUNCTION subcommands.}
    function|kill {Stops the running read-only function.}
    function|list {Describes the loaded libraries.}
    function|load {Loads a function library from source.}
    function|restore {Loads function libraries from a FUNCTION DUMP payload.}
    function|stats {Reports on the running function and the engines.}
    geoadd {Stores members with their longitude and latitude.}
    geodist {Measures the distance between two members.}
    geohash {Returns members' positions as geohash strings.}
    geopos {Returns members' longitude and latitude.}
    georadius {Finds members within a radius of a point, optionally storing them.}
    georadius_ro {Finds members within a radius of a point.}
    georadiusbymember {Finds members within a radius of a member, optionally storing them.}
    georadiusbymember_ro {Finds members within a radius of a member.}
    geosearch {Finds members inside a circle or a box.}
    geosearchstore {Finds members inside a circle or a box and stores them.}
    get {Reads a string value.}
    getbit {Reads one bit of a string.}
    getdel {Reads a string value and removes the key.}
    getex {Reads a string value and changes its expiry.}
    getrange {Reads part of a string value.}
    getset {Replaces a string value and returns the previous one.}
    hdel {Removes fields from a hash.}
    hello {Negotiates the protocol version and describes the connection.}
    hexists {Tells whether a hash has a field.}
    hget {Reads one field of a hash.}
    hgetall {Reads every field and value of a hash.}
    hincrby {Adds an integer to a hash field.}
    hincrbyfloat {Adds a decimal number to a hash field.}
    hkeys {Lists the fields of a hash.}
    hlen {Counts the fields of a hash.}
    hmget {Reads several fields of a hash.}
    hmset {Writes several fields of a hash.}
    hrandfield {Picks random fields of a hash.}
    hscan {Iterates over the fields of a hash.}
    hset {Writes fields of a hash.}
    hsetnx {Writes a hash field only when it is missing.}
    hstrlen {Returns the length of a hash field's value.}
    hvals {Lists the values of a hash.}
    incr {Adds one to an integer value.}
    incrby {Adds an amount to an integer value.}
    incrbyfloat {Adds a decimal amount to a numeric value.}
    info {Reports server information and statistics.}
    keys {Lists the key names matching a pattern.}
    lastsave {Returns the Unix time of the last successful snapshot.}
    latency {Container for the latency monitor subcommands.}
    latency|doctor {Explains the recorded latency events.}
    latency|graph {Draws an ASCII graph of one latency event.}
    latency|help {Lists the LATENCY subcommands.}
    latency|histogram {Reports per-command latency histograms.}
    latency|history {Returns the recorded samples of one latency event.}
    latency|latest {Returns the latest sample of each latency event.}
    latency|reset {Clears recorded latency events.}
    lcs {Finds the longest common subsequence of two strings.}
    lindex {Reads a list element by position.}
    linsert {Inserts an element before or after another in a list.}
    llen {Counts the elements of a list.}
    lmove {Moves an element from one list end to another list end.}
    lmpop {Pops elements from the first non-empty list.}
    lolwut {Draws some computer art and reports the version.}
    lpop {Removes and returns elements from the head of a list.}
    lpos {Finds the positions of an element in a list.}
    lpush {Adds elements at the head of a list.}
    lpushx {Adds elements at the head of an existing list.}
    lrange {Reads a range of list elements.}
    lrem {Removes occurrences of an element from a list.}
    lset {Replaces the list element at a position.}
    ltrim {Keeps only a range of a list.}
    memory {Container for the memory introspection subcommands.}
    memory|doctor {Explains the memory state of the server.}
    memory|help {Lists the MEMORY subcommands.}
    memory|malloc-stats {Returns the allocator's statistics.}
    memory|purge {Asks the allocator to give free pages back.}
    memory|stats {Reports memory usage figures.}
    memory|usage {Estimates the bytes used by a key and its value.}
    mget {Reads several string values.}
    migrate {Moves keys to another server.}
    module {Container for the module management subcommands.}
    module|help {Lists the MODULE subcommands.}
    module|list {Lists the loaded modules.}
    module|load {Loads a module.}
    module|loadex {Loads a module with configuration and arguments.}
    module|unload {Unloads a module.}
    monitor {Streams every command the server processes.}
    move {Moves a key to another database.}
    mset {Writes several string values.}
    msetnx {Writes several string values only if none of the keys exist.}
    multi {Starts queueing a transaction.}
    object {Container for the value introspection subcommands.}
    object|encoding {Returns the internal encoding of a value.}
    object|freq {Returns the access frequency counter of a key.}
    object|help {Lists the OBJECT subcommands.}
    object|idletime {Returns the seconds since a key was last used.}
    object|refcount {Returns the reference count of a value.}
    persist {Removes a key's expiry.}
    pexpire {Sets a key's time to live in milliseconds.}
    pexpireat {Sets a key's expiry as a Unix time in milliseconds.}
    pexpiretime {Returns a key's expiry as a Unix time in milliseconds.}
    pfadd {Adds elements to a HyperLogLog.}
    pfcount {Estimates the number of distinct elements seen by HyperLogLogs.}
    pfdebug {Internal HyperLogLog debugging.}
    pfmerge {Merges HyperLogLogs into one.}
    pfselftest {Internal HyperLogLog self test.}
    ping {Checks that the server answers.}
    psetex {Writes a string value with a time to live in milliseconds.}
    psubscribe {Listens to channels matching patterns.}
    psync {Internal: replication handshake from a replica.}
    pttl {Returns a key's time to live in milliseconds.}
    publish {Sends a message to a channel.}
    pubsub {Container for the Pub/Sub introspection subcommands.}
    pubsub|channels {Lists the active channels.}
    pubsub|help {Lists the PUBSUB subcommands.}
    pubsub|numpat {Counts the subscribed patterns.}
    pubsub|numsub {Counts the subscribers of channels.}
    pubsub|shardchannels {Lists the active shard channels.}
    pubsub|shardnumsub {Counts the subscribers of shard channels.}
    punsubscribe {Stops listening to channel patterns.}
    quit {Closes the connection.}
    randomkey {Returns a random key name.}
    readonly {Allows reads from a cluster replica on this connection.}
    readwrite {Stops reads from a cluster replica on this connection.}
    rename {Renames a key, replacing the destination.}
    renamenx {Renames a key only if the new name is free.}
    replconf {Internal: replication settings from a replica.}
    replicaof {Makes the server a replica of another, or a master again.}
    reset {Returns the connection to its initial state.}
    restore {Creates a key from a DUMP payload.}
    restore-asking {Internal: RESTORE during a cluster migration.}
    role {Reports the replication role.}
    rpop {Removes and returns elements from the tail of a list.}
    rpoplpush {Moves a list tail to another list's head.}
    rpush {Adds elements at the tail of a list.}
    rpushx {Adds elements at the tail of an existing list.}
    sadd {Adds members to a set.}
    save {Writes a snapshot synchronously.}
    scan {Iterates over the key names.}
    scard {Counts the members of a set.}
    script {Container for the Lua script cache subcommands.}
    script|debug {Chooses the debugging mode of later scripts.}
    script|exists {Tells whether scripts are in the cache.}
    script|flush {Empties the script cache.}
    script|help {Lists the SCRIPT subcommands.}
    script|kill {Stops the running read-only script.}
    script|load {Caches a script without running it.}
    sdiff {Returns the members of a set missing from the others.}
    sdiffstore {Stores the members of a set missing from the others.}
    select {Switches the connection to another database.}
    set {Writes a string value, with expiry and condition options.}
    setbit {Writes one bit of a string.}
    setex {Writes a string value with a time to live in seconds.}
    setnx {Writes a string value only if the key is missing.}
    setrange {Overwrites part of a string value.}
    shutdown {Stops the server, optionally saving first.}
    sinter {Returns the members common to sets.}
    sintercard {Counts the members common to sets.}
    sinterstore {Stores the members common to sets.}
    sismember {Tells whether a value is in a set.}
    slaveof {Makes the server a replica of another (old name).}
    slowlog {Container for the slow log subcommands.}
    slowlog|get {Returns slow log entries.}
    slowlog|help {Lists the SLOWLOG subcommands.}
    slowlog|len {Counts the slow log entries.}
    slowlog|reset {Empties the slow log.}
    smembers {Returns every member of a set.}
    smismember {Tells which values are in a set.}
    smove {Moves a member from one set to another.}
    sort {Sorts a list, set or sorted set, optionally storing the result.}
    sort_ro {Sorts a list, set or sorted set.}
    spop {Removes and returns random members of a set.}
    spublish {Sends a message to a shard channel.}
    srandmember {Returns random members of a set.}
    srem {Removes members from a set.}
    sscan {Iterates over the members of a set.}
    ssubscribe {Listens to shard channels.}
    strlen {Returns the length of a string value.}
    subscribe {Listens to channels.}
    substr {Reads part of a string value (old name).}
    sunion {Returns the members of all given sets.}
    sunionstore {Stores the members of all given sets.}
    sunsubscribe {Stops listening to shard channels.}
    swapdb {Exchanges the contents of two databases.}
    sync {Internal: full resynchronization from a replica.}
    time {Returns the server clock.}
    touch {Counts existing keys and updates their last access time.}
    ttl {Returns a key's time to live in seconds.}
    type {Returns the type of a key's value.}
    unlink {Removes keys, freeing their memory in the background.}
    unsubscribe {Stops listening to channels.}
    unwatch {Forgets all watched keys.}
    wait {Waits until replicas have acknowledged earlier writes.}
    watch {Makes the next transaction depend on keys staying unchanged.}
    xack {Acknowledges pending stream entries of a group.}
    xadd {Appends an entry to a stream.}
    xautoclaim {Takes over idle pending entries, scanning from an id.}
    xclaim {Takes over given pending entries.}
    xdel {Removes entries from a stream.}
    xgroup {Container for the consumer group subcommands.}
    xgroup|create {Creates a consumer group.}
    xgroup|createconsumer {Creates a consumer in a group.}
    xgroup|delconsumer {Removes a consumer from a group.}
    xgroup|destroy {Removes a consumer group.}
    xgroup|help {Lists the XGROUP subcommands.}
    xgroup|setid {Moves the last-delivered id of a group.}
    xinfo {Container for the stream introspection subcommands.}
    xinfo|consumers {Describes the consumers of a group.}
    xinfo|groups {Describes the consumer groups of a stream.}
    xinfo|help {Lists the XINFO subcommands.}
    xinfo|stream {Describes a stream.}
    xlen {Counts the entries of a stream.}
    xpending {Inspects the pending entries of a group.}
    xrange {Reads stream entries between two ids.}
    xread {Reads new entries from streams, optionally waiting.}
    xreadgroup {Reads entries for a group consumer, optionally waiting.}
    xrevrange {Reads stream entries between two ids, newest first.}
    xsetid {Sets the last id of a stream.}
    xtrim {Removes old entries from a stream.}
    zadd {Adds members with scores to a sorted set, or updates scores.}
    zcard {Counts the members of a sorted set.}
    zcount {Counts members with scores in a range.}
    zdiff {Returns the members of a sorted set missing from the others.}
    zdiffstore {Stores the members of a sorted set missing from the others.}
    zincrby {Adds to the score of a member.}
    zinter {Returns the members common to sorted sets.}
    zintercard {Counts the members common to sorted sets.}
    zinterstore {Stores the members common to sorted sets.}
    zlexcount {Counts members in a lexicographical range.}
    zmpop {Pops members from the first non-empty sorted set.}
    zmscore {Returns the scores of several members.}
    zpopmax {Removes and returns the highest-scored members.}
    zpopmin {Removes and returns the lowest-scored members.}
    zrandmember {Returns random members of a sorted set.}
    zrange {Reads members by rank, score or lexicographical range.}
    zrangebylex {Reads members in a lexicographical range.}
    zrangebyscore {Reads members with scores in a range.}
    zrangestore {Stores a range of a sorted set.}
    zrank {Returns the rank of a member, lowest score first.}
    zrem {Removes members from a sorted set.}
    zremrangebylex {Removes members in a lexicographical range.}
    zremrangebyrank {Removes members in a range of ranks.}
    zremrangebyscore {Removes members with scores in a range.}
    zrevrange {Reads members by rank, highest score first.}
    zrevrangebylex {Reads members in a lexicographical range, in reverse.}
    zrevrangebyscore {Reads members with scores in a range, highest first.}
    zrevrank {Returns the rank of a member, highest score first.}
    zscan {Iterates over the members and scores of a sorted set.}
    zscore {Returns the score of a member.}
    zunion {Returns the members of all given sorted sets.}
    zunionstore {Stores the members of all given sorted sets.}
}

main $argv
