// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "steptemplate.h"

#include <list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/util/canonicaljson.h"
#include "core/workflow/template_p.h"

namespace brieflow {

namespace {

using nlohmann::json;
using workflowtemplate::Tag;

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

bool isPresent(const json *value)
{
    if (value == nullptr)
        return false;
    switch (value->type()) {
    case json::value_t::string:
        return !fromStd(value->get_ref<const std::string &>()).trimmed().isEmpty();
    case json::value_t::boolean:
        return value->get<bool>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return true;
    case json::value_t::array:
    case json::value_t::object:
        return !value->empty();
    case json::value_t::null:
    case json::value_t::binary:
    case json::value_t::discarded:
        break;
    }
    return false;
}

class Renderer {
public:
    Renderer(const json &brief, const TemplateContext &context)
        : m_brief(brief)
        , m_context(context)
    {}

    std::optional<QString> error;

    json render(const json &value, const QString &path)
    {
        if (value.is_string())
            return renderString(fromStd(value.get_ref<const std::string &>()), path);
        if (value.is_object()) {
            json out = json::object();
            for (const auto &[key, child] : value.items()) {
                out[key] = render(child, path + QLatin1Char('.') + fromStd(key));
                if (error)
                    break;
            }
            return out;
        }
        if (value.is_array()) {
            json out = json::array();
            qsizetype i = 0;
            for (const json &child : value) {
                out.push_back(render(child, path + QLatin1Char('[') + QString::number(i++)
                                                + QLatin1Char(']')));
                if (error)
                    break;
            }
            return out;
        }
        return value;
    }

private:
    // The value of a path, or nullptr when the brief or the outputs don't have it.
    const json *lookup(const QString &path)
    {
        if (const QString step = workflowtemplate::stepOfPath(path); !step.isEmpty()) {
            const auto it = m_context.stepOutputs.constFind(step);
            if (it == m_context.stepOutputs.cend())
                return nullptr;
            m_outputs.push_back(json(it->toStdString()));
            return &m_outputs.back();
        }
        if (!path.startsWith(QLatin1StringView("brief.")))
            return nullptr;
        const json *node = &m_brief;
        const QStringList parts = path.split(QLatin1Char('.')).mid(1);
        for (const QString &part : parts) {
            if (!node->is_object())
                return nullptr;
            const auto it = node->find(part.toStdString());
            if (it == node->end())
                return nullptr;
            node = &*it;
        }
        return node;
    }

    void missing(const QString &placeholder, const QString &where)
    {
        const QString step = workflowtemplate::stepOfPath(placeholder);
        const QString reason = !step.isEmpty()
                                   ? QStringLiteral("step “%1” has no output yet").arg(step)
                                   : QStringLiteral("the brief leaves it empty");
        error = QStringLiteral("“{{%1}}” in %2 has no value: %3.").arg(placeholder, where, reason);
    }

    json renderString(const QString &text, const QString &where)
    {
        if (!workflowtemplate::hasTags(text))
            return json(text.toStdString());
        const workflowtemplate::Tokens tokens = workflowtemplate::tokenize(text);
        if (!tokens.error.isEmpty()) {
            error = QStringLiteral("%1: %2").arg(where, tokens.error);
            return {};
        }
        // A string that is exactly one placeholder keeps the value's JSON type.
        if (tokens.tags.size() == 1 && tokens.tags.constFirst().kind == Tag::Kind::Value) {
            const QString &path = tokens.tags.constFirst().text;
            const json *value = lookup(path);
            if (!isPresent(value) && !(value != nullptr && value->is_boolean())) {
                missing(path, where);
                return {};
            }
            return *value;
        }

        QString out;
        // Depth of the innermost section that is not rendered; 0 while rendering.
        int depth = 0;
        int skipFrom = 0;
        for (const Tag &tag : tokens.tags) {
            switch (tag.kind) {
            case Tag::Kind::Text:
                if (skipFrom == 0)
                    out += tag.text;
                break;
            case Tag::Kind::Value: {
                if (skipFrom != 0)
                    break;
                const json *value = lookup(tag.text);
                if (value == nullptr || (value->is_string() && !isPresent(value))) {
                    missing(tag.text, where);
                    return {};
                }
                if (value->is_string())
                    out += fromStd(value->get_ref<const std::string &>());
                else if (value->is_primitive() && !value->is_null())
                    out += fromStd(value->dump());
                else {
                    error = QStringLiteral("“{{%1}}” in %2 is not a single value.")
                                .arg(tag.text, where);
                    return {};
                }
                break;
            }
            case Tag::Kind::Section:
            case Tag::Kind::Inverted: {
                ++depth;
                if (skipFrom != 0)
                    break;
                const bool present = isPresent(lookup(tag.text));
                if (present != (tag.kind == Tag::Kind::Section))
                    skipFrom = depth;
                break;
            }
            case Tag::Kind::End:
                if (skipFrom == depth)
                    skipFrom = 0;
                --depth;
                break;
            }
        }
        return json(out.toStdString());
    }

    const json &m_brief;
    const TemplateContext &m_context;
    std::list<json> m_outputs; // stable addresses for step outputs handed out by lookup()
};

} // namespace

Result<QByteArray, QString> renderStepInput(const StepDefinition &step,
                                            const TemplateContext &context)
{
    if (step.inputTemplate.isEmpty())
        return fail(QStringLiteral("Step “%1” has no input to render.").arg(step.name));
    const json brief = json::parse(context.briefJson.cbegin(), context.briefJson.cend(), nullptr,
                                   /*allow_exceptions=*/false);
    if (brief.is_discarded() || !brief.is_object())
        return fail(QStringLiteral("The job's brief is not a valid JSON object."));
    const json input = json::parse(step.inputTemplate.cbegin(), step.inputTemplate.cend(), nullptr,
                                   /*allow_exceptions=*/false);
    if (input.is_discarded() || !input.is_object())
        return fail(QStringLiteral("Step “%1” has an input template that is not a JSON object.")
                        .arg(step.name));

    Renderer renderer(brief, context);
    const json rendered = renderer.render(input, QStringLiteral("input"));
    if (renderer.error)
        return fail(*renderer.error);
    const std::string text = rendered.dump(-1, ' ', false, json::error_handler_t::replace);
    const std::optional<QByteArray> canonical =
        canonicalJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
    if (!canonical)
        return fail(QStringLiteral("Step “%1”'s rendered input is not valid JSON.").arg(step.name));
    return *canonical;
}

} // namespace brieflow
