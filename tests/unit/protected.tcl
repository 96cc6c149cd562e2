# protected.tcl: the out-of-the-box safety settings.
#
#   protected-mode   a server whose default user has no password serves
#                    only loopback (and unix socket) clients; others get
#                    Redis's -DENIED explanation and are disconnected.
#                    Tested by binding a non-loopback address of this host
#                    as well (skipped when the host has none).
#   rename-command   renamed commands answer to the new name only; "" hides
#                    a command; ACL rules keep using the original names.
#   enable-protected-configs / enable-debug-command
#                    CONFIG SET of dir and dbfilename, and DEBUG, are
#                    refused by default, directly or inside MULTI, so the
#                    classic "CONFIG SET dir /root/.ssh" takeover fails.

# The first IPv4 address of this host that is not loopback, or "".
proc prot_external_ipv4 {} {
    if {[catch {exec ip -4 -o addr show} out]} { return "" }
    foreach line [split $out "\n"] {
        if {[regexp {inet (\d+\.\d+\.\d+\.\d+)/} $line -> ip] && ![string match 127.* $ip]} {
            return $ip
        }
    }
    return ""
}

# Connects to ip:port, sends PING, returns everything the server sends
# before closing (or what arrived within a second).
proc prot_ping_from {ip port} {
    set s [socket $ip $port]
    fconfigure $s -translation binary -blocking 1
    puts -nonewline $s "*1\r\n\$4\r\nPING\r\n"
    flush $s
    set deadline [expr {[clock milliseconds] + 1000}]
    set data ""
    fconfigure $s -blocking 0
    while {[clock milliseconds] < $deadline} {
        append data [read $s]
        if {[eof $s]} break
        after 10
    }
    close $s
    return $data
}

set prot_denied "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n"

set prot_ip [prot_external_ipv4]

start_server [list tags {protected} args [list --bind 127.0.0.1 {*}$prot_ip]] {

test {protected-mode is on by default} {
    assert_equal {protected-mode yes} [r config get protected-mode]
}

test {protected-mode: remote clients of a password-less server get DENIED} {
    if {$prot_ip eq ""} { skip "no non-loopback IPv4 address on this host" }
    set before [s rejected_connections]
    assert_equal $prot_denied [prot_ping_from $prot_ip [srv port]]
    assert_equal [expr {$before + 1}] [s rejected_connections]
    # Loopback clients are served.
    assert_equal PONG [r ping]
}

test {protected-mode: a disabled nopass default user is still password-less} {
    if {$prot_ip eq ""} { skip "no non-loopback IPv4 address on this host" }
    r acl setuser default off
    assert_equal $prot_denied [prot_ping_from $prot_ip [srv port]]
    r acl setuser default on
}

test {protected-mode: a password for the default user lifts it} {
    if {$prot_ip eq ""} { skip "no non-loopback IPv4 address on this host" }
    r config set requirepass s3cret
    assert_equal "-NOAUTH Authentication required.\r\n" [prot_ping_from $prot_ip [srv port]]
    r auth s3cret
    r config set requirepass ""
    assert_equal $prot_denied [prot_ping_from $prot_ip [srv port]]
}

test {protected-mode no serves everyone} {
    if {$prot_ip eq ""} { skip "no non-loopback IPv4 address on this host" }
    r config set protected-mode no
    assert_equal "+PONG\r\n" [prot_ping_from $prot_ip [srv port]]
    r config set protected-mode yes
    assert_equal $prot_denied [prot_ping_from $prot_ip [srv port]]
}

}

start_server {tags {protected} config_lines {
        {rename-command get fetch}
        {rename-command flushall ""}
    }} {

test {rename-command: the new name works, the old one is unknown} {
    r set k v
    assert_equal v [r fetch k]
    assert_error "ERR unknown command 'get', with args beginning with: 'k' " {r get k}
}

test {rename-command to "" disables the command} {
    assert_error "ERR unknown command 'flushall', with args beginning with: " {r flushall}
    assert_equal 1 [r exists k]
}

test {rename-command: ACL rules and NOPERM use the original name} {
    assert_error "*Unknown command or category name in ACL" {r acl setuser ren1 +fetch}
    r acl setuser ren1 on nopass ~* +get
    set c [redis_client]
    $c auth ren1 x
    assert_equal v [$c fetch k]
    r acl setuser ren1 -get
    assert_error "NOPERM this user has no permissions to run the 'get' command" {$c fetch k}
    assert_equal {This user has no permissions to run the 'get' command} [r acl dryrun ren1 fetch k]
    assert_error "ERR Command 'get' not found" {r acl dryrun ren1 get k}
    $c close
    r acl deluser ren1
}

}

start_server {tags {protected} overrides {enable-debug-command no}} {

test {CONFIG SET of dir and dbfilename is refused by default} {
    assert_equal {enable-protected-configs no} [r config get enable-protected-configs]
    assert_error "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config" \
        {r config set dir /tmp}
    assert_error "ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config" \
        {r config set dbfilename x.rdb}
    # Hidden behind an allowed directive: the whole CONFIG SET is refused.
    assert_error "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config" \
        {r config set maxmemory 0 dir /tmp}
    assert_equal {dbfilename dump.rdb} [r config get dbfilename]
}

test {... and inside MULTI, where EXEC carries the same error} {
    r multi
    r config set dir /tmp
    r config set dbfilename x.rdb
    r readraw 1
    assert_equal {*2} [r exec]
    assert_equal "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config" [r read]
    assert_equal "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config" [r read]
    r readraw 0
    assert_equal {dbfilename dump.rdb} [r config get dbfilename]
}

test {The protection itself cannot be switched off at run time} {
    assert_error "ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config" \
        {r config set enable-protected-configs yes}
    assert_error "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config" \
        {r config set enable-debug-command yes}
}

test {DEBUG is refused when enable-debug-command is no, in MULTI too} {
    set msg "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server."
    assert_error $msg {r debug sleep 0}
    r multi
    assert_error $msg {r debug sleep 0}
    assert_error "EXECABORT Transaction discarded because of previous errors." {r exec}
}

}
