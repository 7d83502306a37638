#include "server/config/option_list.h"

#include "server/config/tokenizer.h"

namespace strata::config {

OptionList& OptionList::add(std::string_view name, bool takes_value,
                            std::function<bool(DirectiveContext&, std::string_view)> apply) {
  options_.push_back(Option{std::string(name), takes_value, std::move(apply)});
  return *this;
}

OptionList& OptionList::flag(std::string_view name, bool& target) {
  return add(name, false, [&target](DirectiveContext&, std::string_view) {
    target = true;
    return true;
  });
}

OptionList& OptionList::action(std::string_view name, std::function<void()> apply) {
  return add(name, false, [apply = std::move(apply)](DirectiveContext&, std::string_view) {
    apply();
    return true;
  });
}

OptionList& OptionList::integer(std::string_view name, int64_t lo, int64_t hi, int& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = intValue(ctx, name, v, lo, hi);
        if (value) target = static_cast<int>(*value);
        return value.has_value();
      });
}

OptionList& OptionList::integer(std::string_view name, int64_t lo, int64_t hi,
                                std::optional<int>& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = intValue(ctx, name, v, lo, hi);
        if (value) target = static_cast<int>(*value);
        return value.has_value();
      });
}

OptionList& OptionList::integer(std::string_view name, int64_t lo, int64_t hi, uint32_t& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = intValue(ctx, name, v, lo, hi);
        if (value) target = static_cast<uint32_t>(*value);
        return value.has_value();
      });
}

OptionList& OptionList::real(std::string_view name, double lo, double hi, double& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = realValue(ctx, name, v, lo, hi);
        if (value) target = *value;
        return value.has_value();
      });
}

OptionList& OptionList::real(std::string_view name, double lo, double hi,
                             std::optional<double>& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = realValue(ctx, name, v, lo, hi);
        if (value) target = *value;
        return value.has_value();
      });
}

OptionList& OptionList::seconds(std::string_view name, common::Nanos lo, common::Nanos hi,
                                common::Nanos& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = secondsValue(ctx, name, v, lo, hi);
        if (value) target = *value;
        return value.has_value();
      });
}

OptionList& OptionList::seconds(std::string_view name, common::Nanos lo, common::Nanos hi,
                                std::optional<common::Nanos>& target) {
  return add(
      name, true,
      [name = std::string(name), lo, hi, &target](DirectiveContext& ctx, std::string_view v) {
        auto value = secondsValue(ctx, name, v, lo, hi);
        if (value) target = *value;
        return value.has_value();
      });
}

OptionList& OptionList::custom(std::string_view name,
                               std::function<bool(DirectiveContext&, std::string_view)> apply) {
  return add(name, true, std::move(apply));
}

bool OptionList::run(DirectiveContext& ctx, std::span<const std::string_view> words) const {
  for (size_t i = 0; i < words.size(); ++i) {
    std::string name = toLower(words[i]);
    const Option* match = nullptr;
    for (const Option& o : options_) {
      if (o.name == name) {
        match = &o;
        break;
      }
    }
    if (match == nullptr) {
      ctx.error("unknown option " + quote(words[i]));
      return false;
    }
    std::string_view value;
    if (match->takes_value) {
      if (i + 1 == words.size()) {
        ctx.error("option " + match->name + " needs a value");
        return false;
      }
      value = words[++i];
    }
    if (!match->apply(ctx, value)) return false;
  }
  return true;
}

}  // namespace strata::config
