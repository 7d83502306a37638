#include "server/config/parser.h"

#include <map>

#include "server/config/diagnostics.h"
#include "server/config/directive_context.h"
#include "server/config/directive_status.h"
#include "server/config/directive_table.h"
#include "server/config/tokenizer.h"

namespace strata::config {

namespace {

bool hasWildcard(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Joins a path to the directory of `base_file` unless it is absolute, and drops empty and
// "." components (".." is left alone: with symlinks it cannot be resolved lexically).
std::string resolvePath(const std::string& base_file, std::string_view path) {
  std::string joined;
  if (!path.empty() && path.front() == '/') {
    joined = std::string(path);
  } else {
    auto slash = base_file.rfind('/');
    joined = slash == std::string::npos ? std::string(path)
                                        : base_file.substr(0, slash + 1) + std::string(path);
  }
  bool absolute = !joined.empty() && joined.front() == '/';
  std::string out = absolute ? "/" : "";
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t next = joined.find('/', pos);
    if (next == std::string::npos) next = joined.size();
    std::string_view part(joined.data() + pos, next - pos);
    if (!part.empty() && part != ".") {
      if (!out.empty() && out.back() != '/') out += '/';
      out += part;
    }
    pos = next + 1;
  }
  return out.empty() ? std::string(".") : out;
}

class Parser {
 public:
  Parser(const FileSystem& fs, Diagnostics& diagnostics, const ParseLimits& limits)
      : fs_(fs), diag_(diagnostics), limits_(limits) {}

  void parseText(std::string_view text, const std::string& file, int depth, bool sources_only) {
    stack_.push_back(file);
    for (const TokenizedLine& line : tokenize(text)) {
      std::string location = file + ":" + std::to_string(line.number);
      if (line.problem) {
        diag_.error(location + ": " + *line.problem);
        continue;
      }
      parseLine(line, location, file, depth, sources_only);
    }
    stack_.pop_back();
  }

  // Reads and parses one file named by a directive (include/confdir/sourcedir) of `ctx`.
  void parseFile(DirectiveContext& ctx, const std::string& path, int depth, bool sources_only) {
    if (depth > limits_.max_include_depth) {
      ctx.error("files nested more than " + std::to_string(limits_.max_include_depth) +
                " levels deep at " + quote(path));
      return;
    }
    for (const std::string& open : stack_) {
      if (open == path) {
        ctx.error("include loop: " + quote(path) + " is already being read");
        return;
      }
    }
    if (files_ >= limits_.max_files) {
      ctx.error("more than " + std::to_string(limits_.max_files) + " configuration files");
      return;
    }
    ++files_;
    auto content = fs_.readFile(path, limits_.max_file_bytes);
    if (!content) {
      ctx.error("cannot read " + quote(path) + ": " + content.error().message);
      return;
    }
    bytes_ += content->size();
    if (bytes_ > limits_.max_total_bytes) {
      ctx.error("configuration files larger than " + std::to_string(limits_.max_total_bytes) +
                " bytes in total");
      return;
    }
    parseText(*content, path, depth, sources_only);
  }

  Config& config() { return config_; }
  void countTopFile(size_t bytes) {
    ++files_;
    bytes_ += bytes;
  }

 private:
  void parseLine(const TokenizedLine& line, const std::string& location, const std::string& file,
                 int depth, bool sources_only) {
    std::string name = toLower(line.words[0]);
    std::span<const std::string_view> args(line.words.data() + 1, line.words.size() - 1);
    DirectiveContext ctx(config_, diag_, location, name, args, sources_only);

    if (sources_only && name != "server" && name != "pool" && name != "peer") {
      ctx.error("only server, pool and peer directives are allowed in a sourcedir file");
      return;
    }
    if (name == "include") {
      include(ctx, file, depth);
    } else if (name == "confdir") {
      directoryFiles(ctx, file, depth, ".conf", false);
    } else if (name == "sourcedir") {
      directoryFiles(ctx, file, depth, ".sources", true);
    } else if (const DirectiveDef* def = findTypedDirective(name)) {
      def->handler(ctx);
    } else if (isIgnoredChronyDirective(name)) {
      ctx.warning(name + " is a chrony directive that Strata does not implement; ignored");
      return;
    } else {
      diag_.error(location + ": unknown directive " + quote(line.words[0]));
      return;
    }
    if (ctx.failed()) return;
    switch (directiveStatus(name)) {
      case DirectiveStatus::kActive:
        break;
      case DirectiveStatus::kInactive:
        ctx.warning(name + " is parsed but not active yet in this version");
        break;
      case DirectiveStatus::kUnsupported:
        ctx.warning(name + " is parsed but not supported by Strata; ignored");
        break;
    }
  }

  void include(DirectiveContext& ctx, const std::string& file, int depth) {
    if (!ctx.expectArgCount(1, 1, "PATTERN")) return;
    std::string pattern = resolvePath(file, ctx.args()[0]);
    if (!hasWildcard(pattern)) {
      parseFile(ctx, pattern, depth + 1, false);
      return;
    }
    auto paths = fs_.glob(pattern);
    if (!paths) {
      ctx.error("cannot expand " + quote(pattern) + ": " + paths.error().message);
      return;
    }
    if (paths->empty()) {
      ctx.error("no file matches " + quote(pattern));
      return;
    }
    for (const std::string& path : *paths) {
      parseFile(ctx, path, depth + 1, false);
      if (ctx.failed()) return;
    }
  }

  // confdir (".conf") and sourcedir (".sources"): the files with the suffix from up to 10
  // directories, in name order; a name found in several directories is taken from the first.
  void directoryFiles(DirectiveContext& ctx, const std::string& file, int depth,
                      std::string_view suffix, bool sources) {
    if (!ctx.expectArgCount(1, kMaxConfdirDirectories, "DIRECTORY... (at most 10)")) return;
    std::map<std::string, std::string> by_name;  // name -> path
    std::vector<std::string> dirs;
    for (std::string_view arg : ctx.args()) {
      std::string dir = resolvePath(file, arg);
      dirs.push_back(dir);
      auto names = fs_.listDirectory(dir);
      if (!names) {
        ctx.error("cannot read directory " + quote(dir) + ": " + names.error().message);
        return;
      }
      for (const std::string& name : *names) {
        if (name.size() <= suffix.size() || name.front() == '.' || !endsWith(name, suffix)) {
          continue;
        }
        by_name.emplace(name, dir == "/" ? "/" + name : dir + "/" + name);
      }
    }
    if (sources) {
      config_.sources.source_dirs.push_back(std::move(dirs));
    }
    for (const auto& [name, path] : by_name) {
      parseFile(ctx, path, depth + 1, sources);
      if (ctx.failed()) return;
    }
  }

  const FileSystem& fs_;
  Diagnostics& diag_;
  const ParseLimits limits_;
  Config config_;
  std::vector<std::string> stack_;  // files being read, outermost first
  size_t files_ = 0;
  size_t bytes_ = 0;
};

common::Result<Config> finish(Parser& parser, Diagnostics& diag,
                              std::vector<std::string>& warnings) {
  for (std::string& w : diag.takeWarnings()) warnings.push_back(std::move(w));
  if (diag.hasErrors()) {
    std::string message;
    for (const std::string& e : diag.errors()) {
      if (!message.empty()) message += '\n';
      message += e;
    }
    return common::makeError(std::move(message));
  }
  return std::move(parser.config());
}

}  // namespace

common::Result<Config> parseConfigText(std::string_view text, const std::string& file_name,
                                       const FileSystem& fs, std::vector<std::string>& warnings,
                                       const ParseLimits& limits) {
  Diagnostics diag;
  Parser parser(fs, diag, limits);
  parser.countTopFile(text.size());
  parser.parseText(text, file_name, 0, false);
  return finish(parser, diag, warnings);
}

common::Result<Config> parseConfigFile(const std::string& path, const FileSystem& fs,
                                       std::vector<std::string>& warnings,
                                       const ParseLimits& limits) {
  auto content = fs.readFile(path, limits.max_file_bytes);
  if (!content) {
    return common::makeError("cannot read " + quote(path) + ": " + content.error().message);
  }
  return parseConfigText(*content, path, fs, warnings, limits);
}

common::Result<Config> parseConfigFile(const std::string& path,
                                       std::vector<std::string>& warnings) {
  RealFileSystem fs;
  return parseConfigFile(path, fs, warnings);
}

}  // namespace strata::config
