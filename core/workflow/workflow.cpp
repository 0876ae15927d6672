// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "workflow.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include "core/provider/providertypes.h"
#include "core/workflow/template_p.h"

namespace brieflow {

namespace {

using Json = nlohmann::ordered_json;

const QString builtinPrefix = QStringLiteral(":/brieflow/workflows/");

constexpr int MaxSteps = 50;
constexpr qint64 MaxBackoffMs = 3600 * 1000;
constexpr qint64 MinTimeoutSeconds = 5;
constexpr qint64 MaxTimeoutSeconds = 24 * 3600;
constexpr qint64 MaxCheckChars = 100000;

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

bool isSnakeCase(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_]{0,63}$"));
    return re.match(text).hasMatch();
}

QString keyPath(const QString &parent, const QString &key)
{
    return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
}

QString indexPath(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

// What a JSON value is, in words: "the number 2.5", "a list".
QString describe(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::string: {
        QString text = fromStd(value.get_ref<const std::string &>());
        if (text.size() > 40)
            text = text.left(40) + QStringLiteral("…");
        return QStringLiteral("the text “%1”").arg(text);
    }
    case Json::value_t::boolean:
        return value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
        return QStringLiteral("the number %1").arg(fromStd(value.dump()));
    case Json::value_t::array:
        return QStringLiteral("a list");
    case Json::value_t::object:
        return QStringLiteral("an object");
    case Json::value_t::null:
        return QStringLiteral("null");
    case Json::value_t::binary:
    case Json::value_t::discarded:
        break;
    }
    return QStringLiteral("something else");
}

// nlohmann keeps only one of a repeated key; find them while parsing, with their paths.
class DuplicateKeyFinder {
public:
    WorkflowErrors errors;

    bool operator()(int, Json::parse_event_t event, Json &parsed)
    {
        switch (event) {
        case Json::parse_event_t::object_start:
        case Json::parse_event_t::array_start: {
            const QString path = nextChildPath();
            m_frames.push_back({event == Json::parse_event_t::array_start, -1, path, {}, {}});
            break;
        }
        case Json::parse_event_t::object_end:
        case Json::parse_event_t::array_end:
            if (!m_frames.empty())
                m_frames.pop_back();
            break;
        case Json::parse_event_t::key:
            if (!m_frames.empty() && parsed.is_string()) {
                Frame &frame = m_frames.back();
                frame.lastKey = fromStd(parsed.get<std::string>());
                if (!frame.keys.insert(frame.lastKey.toStdString()).second)
                    errors.append({keyPath(frame.path, frame.lastKey),
                                   QStringLiteral("The key “%1” is given more than once; keep "
                                                  "only one.")
                                       .arg(frame.lastKey)});
            }
            break;
        case Json::parse_event_t::value:
            if (!m_frames.empty() && m_frames.back().array)
                ++m_frames.back().index;
            break;
        }
        return true;
    }

private:
    struct Frame {
        bool array = false;
        qsizetype index = -1;
        QString path;
        std::set<std::string> keys;
        QString lastKey;
    };

    QString nextChildPath()
    {
        if (m_frames.empty())
            return {};
        Frame &parent = m_frames.back();
        if (parent.array)
            return indexPath(parent.path, ++parent.index);
        return keyPath(parent.path, parent.lastKey);
    }

    std::vector<Frame> m_frames;
};

struct StepOutline {
    QString name; // empty when missing or invalid
    std::optional<StepKind> kind;
};

class WorkflowReader {
public:
    WorkflowErrors errors;

    Workflow read(const Json &root)
    {
        Workflow workflow;
        if (!root.is_object()) {
            error({}, QStringLiteral("A workflow is a JSON object such as {\"id\": …, \"title\": "
                                     "…, \"version\": 1, \"steps\": […]}; got %1.")
                          .arg(describe(root)));
            return workflow;
        }
        unknownKeys(root, {}, {"id", "title", "version", "steps"}, QStringLiteral("A workflow"));
        if (const auto id = text(root, "id", {}, true)) {
            if (isSnakeCase(*id))
                workflow.id = *id;
            else
                error(QStringLiteral("id"), QStringLiteral("“%1” is not a valid id: use lowercase "
                                                           "letters, digits and _, starting with a "
                                                           "letter.")
                                                .arg(*id));
        }
        if (const auto title = text(root, "title", {}, true))
            workflow.title = *title;
        if (const auto version = integer(root, "version", {}, 1, 1000000, true))
            workflow.version = static_cast<int>(*version);

        const Json *steps = member(root, "steps");
        if (steps == nullptr) {
            error(QStringLiteral("steps"), QStringLiteral("Missing “steps”: a workflow needs a "
                                                          "list of steps."));
            return workflow;
        }
        if (!steps->is_array()) {
            error(QStringLiteral("steps"),
                  QStringLiteral("Must be a list of steps; got %1.").arg(describe(*steps)));
            return workflow;
        }
        if (steps->empty()) {
            error(QStringLiteral("steps"), QStringLiteral("A workflow needs at least one step."));
            return workflow;
        }
        if (steps->size() > MaxSteps) {
            error(QStringLiteral("steps"),
                  QStringLiteral("A workflow has at most %1 steps; this one has %2.")
                      .arg(MaxSteps)
                      .arg(steps->size()));
            return workflow;
        }
        const QList<StepOutline> outline = outlineSteps(*steps);
        for (qsizetype i = 0; i < outline.size(); ++i)
            workflow.steps.append(readStep(steps->at(static_cast<size_t>(i)), i, outline));
        return workflow;
    }

private:
    void error(const QString &path, const QString &message) { errors.append({path, message}); }

    static const Json *member(const Json &object, const char *key)
    {
        const auto it = object.find(key);
        return it == object.end() ? nullptr : &*it;
    }

    void unknownKeys(const Json &object, const QString &path,
                     std::initializer_list<const char *> allowed, const QString &what)
    {
        QStringList names;
        for (const char *name : allowed)
            names.append(QString::fromLatin1(name));
        for (const auto &[key, value] : object.items()) {
            const QString name = fromStd(key);
            if (!names.contains(name))
                error(keyPath(path, name), QStringLiteral("Unknown key “%1”. %2 has only %3.")
                                               .arg(name, what, names.join(QStringLiteral(", "))));
        }
    }

    void missing(const QString &path, const char *key)
    {
        error(keyPath(path, QString::fromLatin1(key)),
              QStringLiteral("Missing “%1”.").arg(QString::fromLatin1(key)));
    }

    std::optional<QString> text(const Json &object, const char *key, const QString &parent,
                                bool required)
    {
        const QString path = keyPath(parent, QString::fromLatin1(key));
        const Json *value = member(object, key);
        if (value == nullptr) {
            if (required)
                missing(parent, key);
            return std::nullopt;
        }
        if (!value->is_string()) {
            error(path,
                  QStringLiteral("Must be text in double quotes; got %1.").arg(describe(*value)));
            return std::nullopt;
        }
        const QString result = fromStd(value->get_ref<const std::string &>());
        if (result.trimmed().isEmpty()) {
            error(path, QStringLiteral("Must not be empty."));
            return std::nullopt;
        }
        return result;
    }

    std::optional<qint64> integer(const Json &object, const char *key, const QString &parent,
                                  qint64 min, qint64 max, bool required = false)
    {
        const QString path = keyPath(parent, QString::fromLatin1(key));
        const Json *value = member(object, key);
        if (value == nullptr) {
            if (required)
                missing(parent, key);
            return std::nullopt;
        }
        const QString range =
            QStringLiteral("Must be a whole number from %1 to %2").arg(min).arg(max);
        if (!value->is_number_integer()) {
            error(path, QStringLiteral("%1; got %2.").arg(range, describe(*value)));
            return std::nullopt;
        }
        bool inRange = false;
        qint64 number = 0;
        if (value->is_number_unsigned()) {
            const auto u = value->get<std::uint64_t>();
            inRange = u <= static_cast<std::uint64_t>(max);
            number = inRange ? static_cast<qint64>(u) : 0;
            inRange = inRange && number >= min;
        } else {
            number = value->get<std::int64_t>();
            inRange = number >= min && number <= max;
        }
        if (!inRange) {
            error(path, QStringLiteral("%1; got %2.").arg(range, describe(*value)));
            return std::nullopt;
        }
        return number;
    }

    std::optional<double> number(const Json &object, const char *key, const QString &parent,
                                 double min, double max)
    {
        const QString path = keyPath(parent, QString::fromLatin1(key));
        const Json *value = member(object, key);
        if (value == nullptr)
            return std::nullopt;
        const double result = value->is_number() ? value->get<double>() : 0.0;
        if (!value->is_number() || !std::isfinite(result) || result < min || result > max) {
            error(path, QStringLiteral("Must be a number from %1 to %2; got %3.")
                            .arg(min)
                            .arg(max)
                            .arg(describe(*value)));
            return std::nullopt;
        }
        return result;
    }

    std::optional<bool> boolean(const Json &object, const char *key, const QString &parent)
    {
        const Json *value = member(object, key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_boolean()) {
            error(keyPath(parent, QString::fromLatin1(key)),
                  QStringLiteral("Must be true or false; got %1.").arg(describe(*value)));
            return std::nullopt;
        }
        return value->get<bool>();
    }

    // Names and kinds of every step, for the template scopes. Problems are reported later.
    static QList<StepOutline> outlineSteps(const Json &steps)
    {
        QList<StepOutline> outline;
        for (const Json &step : steps) {
            StepOutline entry;
            if (step.is_object()) {
                const Json *name = member(step, "name");
                if (name != nullptr && name->is_string()) {
                    const QString text = fromStd(name->get_ref<const std::string &>());
                    if (isSnakeCase(text))
                        entry.name = text;
                }
                const Json *kind = member(step, "kind");
                if (kind != nullptr && kind->is_string())
                    entry.kind = stepKindFromString(fromStd(kind->get_ref<const std::string &>()));
            }
            outline.append(entry);
        }
        return outline;
    }

    StepDefinition readStep(const Json &step, qsizetype index, const QList<StepOutline> &outline)
    {
        StepDefinition def;
        const QString path = indexPath(QStringLiteral("steps"), index);
        if (!step.is_object()) {
            error(path, QStringLiteral("A step is a JSON object such as {\"name\": \"concept\", "
                                       "\"title\": …, \"kind\": \"text\", …}; got %1.")
                            .arg(describe(step)));
            return def;
        }
        unknownKeys(step, path,
                    {"name", "title", "kind", "model", "input", "timeout_seconds", "stream",
                     "retry", "check"},
                    QStringLiteral("A step"));

        if (const auto name = text(step, "name", path, true)) {
            if (!isSnakeCase(*name)) {
                error(keyPath(path, QStringLiteral("name")),
                      QStringLiteral("“%1” is not a valid step name: use lowercase letters, digits "
                                     "and _, starting with a letter (e.g. image_prompt).")
                          .arg(*name));
            } else {
                def.name = *name;
                for (qsizetype j = 0; j < index; ++j) {
                    if (outline.at(j).name == *name) {
                        error(keyPath(path, QStringLiteral("name")),
                              QStringLiteral("Step %1 is already called “%2”; step names must be "
                                             "unique.")
                                  .arg(indexPath(QStringLiteral("steps"), j), *name));
                        break;
                    }
                }
            }
        }
        if (const auto title = text(step, "title", path, true))
            def.title = title->trimmed();

        std::optional<StepKind> kind;
        if (const auto kindText = text(step, "kind", path, true)) {
            kind = stepKindFromString(*kindText);
            if (!kind)
                error(keyPath(path, QStringLiteral("kind")),
                      QStringLiteral("“%1” is not a step kind: use “text”, “image” or “store”.")
                          .arg(*kindText));
        }
        if (kind)
            def.kind = *kind;
        const bool callsModel = !kind || *kind != StepKind::Store;

        // Keys that make no sense for this kind of step.
        const auto notFor = [&](const char *key, const QString &message) {
            if (member(step, key) != nullptr)
                error(keyPath(path, QString::fromLatin1(key)), message);
        };
        if (kind == StepKind::Store) {
            const QString storeMessage =
                QStringLiteral("A store step calls no model, so it has no “%1”.");
            for (const char *key : {"model", "input", "timeout_seconds", "stream", "check"})
                notFor(key, storeMessage.arg(QString::fromLatin1(key)));
        } else if (kind == StepKind::Image) {
            notFor("stream", QStringLiteral("Only text steps can stream."));
            notFor("check", QStringLiteral("Only text steps have an output check."));
        }

        if (callsModel) {
            if (const auto model = text(step, "model", path, kind.has_value())) {
                if (const auto ref = ModelRef::parse(*model))
                    def.model = ref->toString();
                else
                    error(keyPath(path, QStringLiteral("model")),
                          QStringLiteral("“%1” is not a Replicate model: write owner/name or "
                                         "owner/name:version (e.g. "
                                         "meta/meta-llama-3-8b-instruct).")
                              .arg(*model));
            }
            readInput(step, path, index, outline, kind.has_value());
            if (const Json *input = member(step, "input"); input != nullptr && input->is_object())
                def.inputTemplate = QByteArray::fromStdString(input->dump());
            if (const auto timeout =
                    integer(step, "timeout_seconds", path, MinTimeoutSeconds, MaxTimeoutSeconds))
                def.timeout = std::chrono::seconds(*timeout);
        }
        if (kind != StepKind::Store && kind != StepKind::Image) {
            if (const auto stream = boolean(step, "stream", path))
                def.stream = *stream;
            if (const Json *check = member(step, "check"))
                def.check = readCheck(*check, keyPath(path, QStringLiteral("check")));
        }
        if (const Json *retry = member(step, "retry"))
            def.retry = readRetry(*retry, keyPath(path, QStringLiteral("retry")));
        return def;
    }

    void readInput(const Json &step, const QString &path, qsizetype index,
                   const QList<StepOutline> &outline, bool required)
    {
        const QString inputPath = keyPath(path, QStringLiteral("input"));
        const Json *input = member(step, "input");
        if (input == nullptr) {
            if (required)
                error(inputPath, QStringLiteral("Missing “input”: the model's input, a JSON object "
                                                "such as {\"prompt\": \"…\"}."));
            return;
        }
        if (!input->is_object()) {
            error(inputPath, QStringLiteral("Must be a JSON object of the model's inputs, such as "
                                            "{\"prompt\": \"…\"}; got %1.")
                                 .arg(describe(*input)));
            return;
        }
        workflowtemplate::Scope scope;
        scope.self = outline.at(index).name;
        QStringList seen;
        for (qsizetype j = 0; j < outline.size(); ++j) {
            const StepOutline &other = outline.at(j);
            // A repeated name is reported once, at the repetition; the first step keeps it.
            if (other.name.isEmpty() || seen.contains(other.name))
                continue;
            seen.append(other.name);
            if (j == index)
                continue;
            if (j > index)
                scope.laterSteps.append(other.name);
            else if (other.kind == StepKind::Text || !other.kind) // unknown kind: reported already
                scope.earlierTextSteps.append(other.name);
            else
                scope.earlierOtherSteps.append(other.name);
        }
        checkTemplate(*input, inputPath, scope);
    }

    void checkTemplate(const Json &value, const QString &path, const workflowtemplate::Scope &scope)
    {
        if (value.is_string()) {
            const QString text = fromStd(value.get_ref<const std::string &>());
            for (const QString &problem : workflowtemplate::problems(text, scope))
                error(path, problem);
        } else if (value.is_object()) {
            for (const auto &[key, child] : value.items()) {
                const QString name = fromStd(key);
                const QString childPath = keyPath(path, name);
                if (workflowtemplate::hasTags(name))
                    error(childPath, QStringLiteral("A key can't hold placeholders; only text "
                                                    "values can."));
                checkTemplate(child, childPath, scope);
            }
        } else if (value.is_array()) {
            qsizetype i = 0;
            for (const Json &child : value)
                checkTemplate(child, indexPath(path, i++), scope);
        }
    }

    RetryPolicy readRetry(const Json &retry, const QString &path)
    {
        RetryPolicy policy;
        if (!retry.is_object()) {
            error(path, QStringLiteral("Must be an object such as {\"max_attempts\": 3}; got %1.")
                            .arg(describe(retry)));
            return policy;
        }
        unknownKeys(
            retry, path,
            {"max_attempts", "initial_backoff_ms", "max_backoff_ms", "jitter", "never_retry"},
            QStringLiteral("A retry policy"));
        if (const auto attempts = integer(retry, "max_attempts", path, 1, 20))
            policy.maxAttempts = static_cast<int>(*attempts);
        const auto initial = integer(retry, "initial_backoff_ms", path, 0, MaxBackoffMs);
        if (initial)
            policy.initialBackoff = std::chrono::milliseconds(*initial);
        const auto max = integer(retry, "max_backoff_ms", path, 0, MaxBackoffMs);
        if (max)
            policy.maxBackoff = std::chrono::milliseconds(*max);
        if (policy.maxBackoff < policy.initialBackoff && (initial || max)) {
            const bool blameMax = max.has_value();
            error(keyPath(path, blameMax ? QStringLiteral("max_backoff_ms")
                                         : QStringLiteral("initial_backoff_ms")),
                  QStringLiteral("max_backoff_ms (%1) must be at least initial_backoff_ms (%2).")
                      .arg(policy.maxBackoff.count())
                      .arg(policy.initialBackoff.count()));
        }
        if (const auto jitter = number(retry, "jitter", path, 0.0, 1.0))
            policy.jitter = *jitter;
        if (const Json *never = member(retry, "never_retry")) {
            const QString neverPath = keyPath(path, QStringLiteral("never_retry"));
            if (!never->is_array()) {
                error(neverPath, QStringLiteral("Must be a list of error types such as "
                                                "[\"invalid_input\"]; got %1.")
                                     .arg(describe(*never)));
            } else {
                qsizetype i = 0;
                for (const Json &item : *never) {
                    const QString itemPath = indexPath(neverPath, i++);
                    const QString type =
                        item.is_string() ? fromStd(item.get_ref<const std::string &>()) : QString();
                    if (!isSnakeCase(type))
                        error(itemPath, QStringLiteral("Must be an error type such as "
                                                       "“invalid_input”; got %1.")
                                            .arg(describe(item)));
                    else if (policy.neverRetry.contains(type))
                        error(itemPath, QStringLiteral("“%1” is listed twice.").arg(type));
                    else
                        policy.neverRetry.append(type);
                }
            }
        }
        return policy;
    }

    OutputCheck readCheck(const Json &check, const QString &path)
    {
        OutputCheck result;
        if (!check.is_object()) {
            error(path, QStringLiteral("Must be an object such as {\"max_chars\": 1000}; got %1.")
                            .arg(describe(check)));
            return result;
        }
        unknownKeys(check, path, {"min_chars", "max_chars", "reject_apology", "single_paragraph"},
                    QStringLiteral("An output check"));
        if (const auto min = integer(check, "min_chars", path, 1, MaxCheckChars))
            result.minChars = static_cast<int>(*min);
        if (const auto max = integer(check, "max_chars", path, 0, MaxCheckChars)) {
            result.maxChars = static_cast<int>(*max);
            if (result.maxChars > 0 && result.maxChars < result.minChars)
                error(keyPath(path, QStringLiteral("max_chars")),
                      QStringLiteral("max_chars (%1) must be 0 (no limit) or at least min_chars "
                                     "(%2).")
                          .arg(result.maxChars)
                          .arg(result.minChars));
        }
        if (const auto apology = boolean(check, "reject_apology", path))
            result.rejectApology = *apology;
        if (const auto single = boolean(check, "single_paragraph", path))
            result.singleParagraph = *single;
        return result;
    }
};

// Line and column (1-based, columns in bytes) of @p offset.
std::pair<int, int> lineAndColumn(const QByteArray &data, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, data.size());
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset; ++i) {
        if (data.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

WorkflowErrors fileError(const QString &message)
{
    return {WorkflowError{QString(), message}};
}

} // namespace

QString toString(StepKind kind)
{
    switch (kind) {
    case StepKind::Text:
        return QStringLiteral("text");
    case StepKind::Image:
        return QStringLiteral("image");
    case StepKind::Store:
        return QStringLiteral("store");
    }
    return {};
}

std::optional<StepKind> stepKindFromString(QStringView text)
{
    if (text == u"text")
        return StepKind::Text;
    if (text == u"image")
        return StepKind::Image;
    if (text == u"store")
        return StepKind::Store;
    return std::nullopt;
}

bool RetryPolicy::retries(const QString &errorType) const
{
    return !neverRetry.contains(errorType);
}

std::chrono::milliseconds RetryPolicy::backoff(int failedAttempts, double random01) const
{
    const double cap = std::max(0.0, static_cast<double>(maxBackoff.count()));
    double value = std::max(0.0, static_cast<double>(initialBackoff.count()));
    for (int i = 1; i < failedAttempts && value < cap; ++i)
        value *= 2.0;
    value = std::min(value, cap);
    const double spread = std::clamp(jitter, 0.0, 1.0);
    const double random = std::isfinite(random01) ? std::clamp(random01, 0.0, 1.0) : 0.5;
    value *= 1.0 + spread * (2.0 * random - 1.0);
    value = std::clamp(value, 0.0, cap);
    return std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(std::llround(value)));
}

QStringList Workflow::stepNames() const
{
    QStringList names;
    names.reserve(steps.size());
    for (const StepDefinition &s : steps)
        names.append(s.name);
    return names;
}

const StepDefinition *Workflow::step(const QString &name) const
{
    const qsizetype index = indexOf(name);
    return index < 0 ? nullptr : &steps.at(index);
}

qsizetype Workflow::indexOf(const QString &name) const
{
    for (qsizetype i = 0; i < steps.size(); ++i) {
        if (steps.at(i).name == name)
            return i;
    }
    return -1;
}

Result<Workflow, WorkflowErrors> parseWorkflow(const QByteArray &json)
{
    if (json.size() > MaxWorkflowJsonBytes)
        return fail(fileError(QStringLiteral("The workflow definition is too large (%1 bytes; at "
                                             "most %2).")
                                  .arg(json.size())
                                  .arg(MaxWorkflowJsonBytes)));
    QByteArray data = json;
    if (data.startsWith("\xEF\xBB\xBF"))
        data.remove(0, 3);
    if (data.trimmed().isEmpty())
        return fail(fileError(QStringLiteral("The workflow definition is empty.")));

    DuplicateKeyFinder duplicates;
    Json root;
    try {
        root = Json::parse(data.cbegin(), data.cend(), std::ref(duplicates));
    } catch (const Json::parse_error &e) {
        const auto [line, column] = lineAndColumn(data, static_cast<qsizetype>(e.byte) - 1);
        return fail(fileError(QStringLiteral("The workflow definition isn't valid JSON: line %1, "
                                             "column %2 (%3).")
                                  .arg(line)
                                  .arg(column)
                                  .arg(QString::fromUtf8(e.what()))));
    } catch (const Json::exception &e) {
        return fail(fileError(QStringLiteral("The workflow definition isn't valid JSON (%1).")
                                  .arg(QString::fromUtf8(e.what()))));
    }

    WorkflowReader reader;
    Workflow workflow = reader.read(root);
    WorkflowErrors errors = duplicates.errors;
    errors += reader.errors;
    if (!errors.isEmpty())
        return fail(std::move(errors));
    return workflow;
}

Result<Workflow, WorkflowErrors> loadWorkflowFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return fail(fileError(QStringLiteral("The workflow file “%1” doesn't exist.").arg(path)));
    if (!file.open(QIODevice::ReadOnly))
        return fail(fileError(QStringLiteral("The workflow file “%1” can't be read: %2.")
                                  .arg(path, file.errorString())));
    if (file.size() > MaxWorkflowJsonBytes)
        return fail(fileError(QStringLiteral("The workflow file “%1” is too large (%2 bytes; at "
                                             "most %3).")
                                  .arg(path)
                                  .arg(file.size())
                                  .arg(MaxWorkflowJsonBytes)));
    const QByteArray data = file.read(MaxWorkflowJsonBytes + 1);
    if (file.error() != QFileDevice::NoError)
        return fail(fileError(QStringLiteral("The workflow file “%1” can't be read: %2.")
                                  .arg(path, file.errorString())));
    return parseWorkflow(data);
}

Result<Workflow, WorkflowErrors> builtinWorkflow(const QString &id)
{
    static QMutex mutex;
    static QHash<QString, Workflow> cache;
    {
        const QMutexLocker lock(&mutex);
        if (const auto it = cache.constFind(id); it != cache.cend())
            return *it;
    }
    if (!isSnakeCase(id) || !QFile::exists(builtinPrefix + id + QStringLiteral(".json")))
        return fail(fileError(QStringLiteral("There is no built-in workflow “%1”. Built-in "
                                             "workflows: %2.")
                                  .arg(id, builtinWorkflowIds().join(QStringLiteral(", ")))));
    auto loaded = loadWorkflowFile(builtinPrefix + id + QStringLiteral(".json"));
    if (!loaded)
        return loaded;
    if (loaded->id != id)
        return fail(fileError(QStringLiteral("The built-in workflow file “%1.json” has the id "
                                             "“%2”.")
                                  .arg(id, loaded->id)));
    const QMutexLocker lock(&mutex);
    cache.insert(id, *loaded);
    return loaded;
}

QStringList builtinWorkflowIds()
{
    QStringList ids;
    const QStringList files =
        QDir(builtinPrefix).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        ids.append(QFileInfo(file).completeBaseName());
    return ids;
}

QString defaultWorkflowId()
{
    return QStringLiteral("campaign_asset");
}

QString formatWorkflowErrors(const WorkflowErrors &errors)
{
    QStringList lines;
    for (const WorkflowError &e : errors)
        lines.append(e.path.isEmpty() ? e.message : e.path + QStringLiteral(": ") + e.message);
    return lines.join(QLatin1Char('\n'));
}

} // namespace brieflow
