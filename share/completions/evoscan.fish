function __evoscan_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __evoscan_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __evoscan_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __evoscan_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __evoscan_parse_tokens -S
    set -l unparsed_tokens (__evoscan_tokens -pc)
    switch $unparsed_tokens[1]
    case 'evoscan'
        __evoscan_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'scan'
            __evoscan_parse_subcommand -r 1 'format=' 'o/output=' 'log-tz=' 'access-log=+' 'window=' 'fail-on=' 'since=' 'until=' 'jobs=' 'follow' 'state=' 'source-id=' 'color=' 'max-rows=' 'config=' 'no-config' 'version' 'h/help'
        case 'merge'
            __evoscan_parse_subcommand -r 1 'format=' 'o/output=' 'fail-on=' 'color=' 'config=' 'no-config' 'version' 'h/help'
        case 'report'
            __evoscan_parse_subcommand -r 1 'format=' 'o/output=' 'fail-on=' 'color=' 'config=' 'no-config' 'version' 'h/help'
        case 'explain'
            __evoscan_parse_subcommand 1 'config=' 'no-config' 'version' 'h/help'
        case 'timeline'
            __evoscan_parse_subcommand -r 1 'instance=' 'access-log=+' 'log-tz=' 'color=' 'config=' 'no-config' 'version' 'h/help'
        case 'config'
            __evoscan_parse_subcommand 0 'print-defaults' 'config=' 'no-config' 'version' 'h/help'
        case 'help'
            __evoscan_parse_subcommand -r 1 'version'
        end
    end
end

function __evoscan_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __evoscan_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __evoscan_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __evoscan_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__evoscan_tokens -p)
    if test -z "$(__evoscan_tokens -t)"
        set -l index (count (__evoscan_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'evoscan' -f
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'scan' -d 'Scan Evolution API logs for Prisma errors.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'merge' -d 'Combine partial summaries (scan --format json) from several runs or hosts into one.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'report' -d 'Render saved or merged summaries: html for a browser, markdown for a postmortem, prometheus for alerting.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'explain' -d 'What a Prisma error code means, what it carries, where Evolution API hits it, and what to do.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'timeline' -d 'The chronological story of one instance, for a postmortem: requests, log lines, failures, silent failures.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'config' -d 'Check the config file in use, or print the built-in knowledge in the config\'s format.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_positional "evoscan" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" format' -l 'format' -d 'Output format: table, ndjson (one failure per line), json (summary, mergeable), csv (one row per failure), markdown, html or prometheus (default: table, or the config\'s).' -rfka 'table ndjson json csv markdown html prometheus'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" o output' -l 'output' -s 'o' -d 'Write the report to FILE (replaced atomically) instead of standard output.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" log-tz' -l 'log-tz' -d 'Zone of Evolution\'s header times: an IANA name or ±HH:MM.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan"' -l 'access-log' -d 'A reverse proxy\'s access log (repeatable; gzip too): what clients were told.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" window' -l 'window' -d 'Seconds between a request\'s end and the failure it may explain (pool and connection timeouts add their own delay; default: 2, or the config\'s).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" fail-on' -l 'fail-on' -d 'Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.' -rfka 'confirmed probable never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" since' -l 'since' -d 'Only failures at or after this time: ISO 8601 (zone-less = local time), today, yesterday, or relative such as -24h, -30m.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" until' -l 'until' -d 'Only failures before this time (same forms as --since).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" jobs' -l 'jobs' -d 'Cores to use (default: all): files scanned at once, one large plain file read in chunks, --access-log read beside the logs; results equal a serial run (--jobs 1).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" follow' -l 'follow' -d 'Keep reading as the log grows (standard input, or one file followed through rotation like tail -F); print each failure as soon as it is decided; Ctrl-C prints the summary.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" state' -l 'state' -d 'Remember where each input stopped in FILE and read only what is new next time (nightly jobs).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" source-id' -l 'source-id' -d 'Name of the host or source in the summary\'s coverage (default: this host\'s name).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" color' -l 'color' -d 'Colour in the table: auto (a terminal without NO_COLOR), always or never.' -rfka 'auto always never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" max-rows' -l 'max-rows' -d 'Rows per table section.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan scan" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" format' -l 'format' -d 'Output format: table, json (a partial again, mergeable further), markdown, html or prometheus (default: table, or the config\'s when it is one of these).' -rfka 'table ndjson json csv markdown html prometheus'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" o output' -l 'output' -s 'o' -d 'Write the report to FILE (replaced atomically) instead of standard output.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" fail-on' -l 'fail-on' -d 'Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.' -rfka 'confirmed probable never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" color' -l 'color' -d 'Colour in the table: auto, always or never.' -rfka 'auto always never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan merge" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" format' -l 'format' -d 'Output format: table, json (a partial again, mergeable further), markdown, html or prometheus (default: table, or the config\'s when it is one of these).' -rfka 'table ndjson json csv markdown html prometheus'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" o output' -l 'output' -s 'o' -d 'Write the report to FILE (replaced atomically) instead of standard output.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" fail-on' -l 'fail-on' -d 'Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.' -rfka 'confirmed probable never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" color' -l 'color' -d 'Colour in the table: auto, always or never.' -rfka 'auto always never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan explain" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan explain" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan explain" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan explain" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" instance' -l 'instance' -d 'The instance name (as in its [name] log tag and request paths).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline"' -l 'access-log' -d 'A reverse proxy\'s access log (repeatable).' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" log-tz' -l 'log-tz' -d 'Zone of Evolution\'s header times.' -rfka ''
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" color' -l 'color' -d 'Colour: auto, always or never.' -rfka 'auto always never'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan timeline" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan config" print-defaults' -l 'print-defaults' -d 'Print the built-in knowledge as a config file.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan config" config' -l 'config' -d 'Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan config" no-config' -l 'no-config' -d 'Read no config file: the built-in knowledge only.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan config" version' -l 'version' -d 'Show the version.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan config" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'evoscan' -n '__evoscan_should_offer_completions_for_flags_or_options "evoscan help" version' -l 'version' -d 'Show the version.'
