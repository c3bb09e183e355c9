// Preloaded (node -r) into each benchmarked process: reports its peak RSS on stderr when it exits.
process.on('exit', () => process.stderr.write(`\n@@peak-rss ${process.resourceUsage().maxRSS}\n`));
