// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "lineage.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include "core/app/jobsubmission.h"
#include "core/brief/briefjson.h"
#include "core/pipeline/stepoutput.h"
#include "core/replicate/predictionparser.h"
#include "core/store/jobstore.h"
#include "core/version.h"

namespace brieflow {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::string toStd(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return std::string(utf8.constData(), static_cast<size_t>(utf8.size()));
}

// --- reading the store ------------------------------------------------------------------------

/** A prediction body as the provider last sent it; a discarded value when it isn't JSON. */
json parseRaw(const QByteArray &raw)
{
    if (raw.isEmpty())
        return json(json::value_t::discarded);
    return json::parse(raw.constData(), raw.constData() + raw.size(), nullptr, false);
}

QString stringAt(const json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? fromStd(it->get<std::string>()) : QString();
}

QDateTime timeAt(const json &object, const char *key)
{
    const QString text = stringAt(object, key);
    return text.isEmpty() ? QDateTime() : replicate::parseTimestamp(text);
}

std::optional<double> predictTimeOf(const json &object)
{
    if (!object.is_object())
        return std::nullopt;
    const auto metrics = object.find("metrics");
    if (metrics == object.end() || !metrics->is_object())
        return std::nullopt;
    const auto value = metrics->find("predict_time");
    if (value == metrics->end() || !value->is_number())
        return std::nullopt;
    return value->get<double>();
}

/** The seed an image model used: "seed" of its input, else "Using seed: N" in its logs. */
std::optional<qint64> seedOf(const QByteArray &stepInput, const json &raw)
{
    const json input = parseRaw(stepInput);
    if (input.is_object()) {
        const auto seed = input.find("seed");
        if (seed != input.end() && seed->is_number_integer())
            return seed->get<qint64>();
    }
    static const QRegularExpression usingSeed(QStringLiteral("Using seed: (\\d{1,18})\\b"));
    const QRegularExpressionMatch match = usingSeed.match(stringAt(raw, "logs"));
    if (match.hasMatch())
        return match.captured(1).toLongLong();
    return std::nullopt;
}

struct StepCall {
    ModelUse use;
    json raw;
};

/** The step's model use from its last succeeded call; nullopt when no call succeeded. */
Result<std::optional<StepCall>, QString> modelUseOf(const JobStore &store, const StepRecord &step)
{
    const auto calls = store.calls(step.id);
    if (!calls)
        return fail(QStringLiteral("Can't read the model calls of step %1: %2")
                        .arg(step.name, calls.error().message));
    const auto last = std::find_if(calls->crbegin(), calls->crend(), [](const auto &call) {
        return call.state == CallState::Succeeded;
    });
    if (last == calls->crend())
        return std::optional<StepCall>();
    StepCall result;
    result.raw = parseRaw(last->rawLastResponse);
    ModelUse &use = result.use;
    use.step = step.name;
    use.modelRef = last->modelRef;
    use.version = stringAt(result.raw, "version");
    use.predictionId =
        last->predictionId.isEmpty() ? stringAt(result.raw, "id") : last->predictionId;
    use.attempts = step.attemptCount;
    use.createdAt = timeAt(result.raw, "created_at");
    if (!use.createdAt.isValid())
        use.createdAt = last->createdAt;
    use.startedAt = timeAt(result.raw, "started_at");
    use.completedAt = timeAt(result.raw, "completed_at");
    if (!use.completedAt.isValid())
        use.completedAt = last->completedAt;
    use.predictTimeSeconds = predictTimeOf(result.raw);
    if (!use.predictTimeSeconds)
        use.predictTimeSeconds = predictTimeOf(json{{"metrics", parseRaw(last->metrics)}});
    return std::optional<StepCall>(std::move(result));
}

// --- JSON -------------------------------------------------------------------------------------

ordered_json timeJson(const QDateTime &time)
{
    if (!time.isValid())
        return nullptr;
    return toStd(time.toUTC().toString(Qt::ISODateWithMs));
}

/** Finds the first repeated key while parsing, as a dotted path ("models[0].step"). */
class DuplicateKeys {
public:
    bool operator()(int, json::parse_event_t event, json &parsed)
    {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            m_frames.push_back({childPath(), {}, event == json::parse_event_t::array_start, 0, {}});
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!m_frames.empty())
                m_frames.pop_back();
            if (!m_frames.empty() && m_frames.back().array)
                ++m_frames.back().index;
            break;
        case json::parse_event_t::key:
            if (!m_frames.empty() && parsed.is_string()) {
                Frame &frame = m_frames.back();
                frame.lastKey = parsed.get<std::string>();
                if (!frame.keys.insert(frame.lastKey).second && m_first.empty())
                    m_first = join(frame.path, frame.lastKey);
            }
            break;
        case json::parse_event_t::value:
            if (!m_frames.empty() && m_frames.back().array)
                ++m_frames.back().index;
            break;
        }
        return true;
    }
    const std::string &first() const { return m_first; }

private:
    struct Frame {
        std::string path;
        std::set<std::string> keys;
        bool array = false;
        int index = 0;
        std::string lastKey;
    };
    static std::string join(const std::string &path, const std::string &key)
    {
        return path.empty() ? key : path + '.' + key;
    }
    std::string childPath() const
    {
        if (m_frames.empty())
            return {};
        const Frame &parent = m_frames.back();
        if (parent.array)
            return parent.path + '[' + std::to_string(parent.index) + ']';
        return join(parent.path, parent.lastKey);
    }
    std::vector<Frame> m_frames;
    std::string m_first;
};

/** Reads fields of one JSON object strictly; the first problem is kept with its field path. */
class Fields {
public:
    Fields(const json &object, QString path, QString *error)
        : m_object(object)
        , m_path(std::move(path))
        , m_error(error)
    {}

    QString name(const char *key) const
    {
        const QString k = QString::fromLatin1(key);
        return m_path.isEmpty() ? k : m_path + QLatin1Char('.') + k;
    }
    bool failed() const { return !m_error->isEmpty(); }
    void problem(const QString &field, const QString &what) const
    {
        if (m_error->isEmpty())
            *m_error = QStringLiteral("The lineage field \"%1\" %2").arg(field, what)
                       + (what.endsWith(QLatin1Char('.')) ? QString() : QStringLiteral("."));
    }
    /** Rejects keys outside @p known. */
    void onlyKeys(std::initializer_list<const char *> known) const
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            const bool ok = std::any_of(known.begin(), known.end(),
                                        [&](const char *k) { return it.key() == k; });
            if (!ok) {
                problem(name(it.key().c_str()), QStringLiteral("is unknown"));
                return;
            }
        }
    }
    const json *get(const char *key, bool required) const
    {
        const auto it = m_object.find(key);
        if (it == m_object.end()) {
            if (required)
                problem(name(key), QStringLiteral("is missing"));
            return nullptr;
        }
        return &*it;
    }
    QString text(const char *key, bool nonEmpty) const
    {
        const json *v = get(key, true);
        if (!v)
            return {};
        if (!v->is_string()) {
            problem(name(key), QStringLiteral("must be a string"));
            return {};
        }
        QString s = fromStd(v->get<std::string>());
        if (nonEmpty && s.isEmpty())
            problem(name(key), QStringLiteral("must not be empty"));
        return s;
    }
    qint64 integer(const char *key, qint64 min, qint64 max) const
    {
        const json *v = get(key, true);
        if (!v)
            return 0;
        return integerValue(*v, name(key), min, max);
    }
    std::optional<qint64> optionalInteger(const char *key, qint64 min, qint64 max) const
    {
        const json *v = get(key, false);
        if (!v || v->is_null())
            return std::nullopt;
        return integerValue(*v, name(key), min, max);
    }
    std::optional<double> optionalNumber(const char *key) const
    {
        const json *v = get(key, false);
        if (!v || v->is_null())
            return std::nullopt;
        if (!v->is_number()) {
            problem(name(key), QStringLiteral("must be a number or null"));
            return std::nullopt;
        }
        const double d = v->get<double>();
        if (d < 0) {
            problem(name(key), QStringLiteral("must not be negative"));
            return std::nullopt;
        }
        return d;
    }
    QDateTime time(const char *key, bool required) const
    {
        const json *v = get(key, required);
        if (!v || (v->is_null() && !required))
            return {};
        const QDateTime t = v->is_string()
                                ? replicate::parseTimestamp(fromStd(v->get<std::string>()))
                                : QDateTime();
        if (!t.isValid())
            problem(name(key), required ? QStringLiteral("must be an ISO 8601 time")
                                        : QStringLiteral("must be an ISO 8601 time or null"));
        return t;
    }
    const json *object(const char *key) const
    {
        const json *v = get(key, true);
        if (v && !v->is_object()) {
            problem(name(key), QStringLiteral("must be an object"));
            return nullptr;
        }
        return v;
    }

private:
    qint64 integerValue(const json &v, const QString &field, qint64 min, qint64 max) const
    {
        if (!v.is_number_integer()) {
            problem(field, QStringLiteral("must be a whole number"));
            return 0;
        }
        if (v.is_number_unsigned()
            && v.get<std::uint64_t>()
                   > static_cast<std::uint64_t>(std::numeric_limits<qint64>::max())) {
            problem(field, QStringLiteral("is too large"));
            return 0;
        }
        const qint64 n = v.get<qint64>();
        if (n < min || n > max) {
            problem(field, QStringLiteral("must be between %1 and %2").arg(min).arg(max));
            return 0;
        }
        return n;
    }

    const json &m_object;
    QString m_path;
    QString *m_error;
};

bool isSha256(const QString &text)
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    return hex.match(text).hasMatch();
}

} // namespace

QString ImageLineage::imageModel() const
{
    for (const ModelUse &use : models) {
        if (use.step == QLatin1String("image"))
            return use.modelRef;
    }
    return {};
}

Result<ImageLineage, QString> lineageForOutput(const JobStore &store, const OutputId &outputId)
{
    const auto output = store.output(outputId);
    if (!output)
        return fail(QStringLiteral("Can't read image %1 from the job database: %2")
                        .arg(outputId.toString(), output.error().message));
    if (!output->has_value())
        return fail(
            QStringLiteral("There is no stored image with id %1.").arg(outputId.toString()));
    const OutputRecord &image = **output;

    const auto job = store.job(image.jobId);
    if (!job)
        return fail(QStringLiteral("Can't read job %1 of image %2: %3")
                        .arg(image.jobId.toString(), outputId.toString(), job.error().message));
    if (!job->has_value())
        return fail(QStringLiteral("Job %1 that made image %2 no longer exists.")
                        .arg(image.jobId.toString(), outputId.toString()));
    const std::optional<Brief> brief = briefOfJob(**job);
    if (!brief)
        return fail(QStringLiteral("Job %1 that made image %2 was not made from a brief (its input "
                                   "isn't a valid brief).")
                        .arg(image.jobId.toString(), outputId.toString()));

    const auto steps = store.steps(image.jobId);
    if (!steps)
        return fail(QStringLiteral("Can't read the steps of job %1: %2")
                        .arg(image.jobId.toString(), steps.error().message));

    // The step that made the image: its own step id, else the image step listing it.
    auto imageStep = std::find_if(steps->cbegin(), steps->cend(), [&](const StepRecord &s) {
        return !image.stepId.isNull() && s.id == image.stepId;
    });
    if (imageStep == steps->cend())
        imageStep = std::find_if(steps->cbegin(), steps->cend(), [&](const StepRecord &s) {
            return outputIdsOfStepOutput(s.outputPayload).contains(outputId);
        });
    if (imageStep == steps->cend())
        return fail(QStringLiteral("No step of job %1 made image %2.")
                        .arg(image.jobId.toString(), outputId.toString()));

    ImageLineage lineage;
    lineage.jobId = image.jobId;
    lineage.outputId = image.id;
    lineage.brief = *brief;
    lineage.sha256 = image.sha256;
    lineage.mime = image.mime;
    lineage.width = image.width;
    lineage.height = image.height;
    lineage.jobCreatedAt = (*job)->createdAt;
    lineage.imageCreatedAt = image.createdAt;
    lineage.generator = QStringLiteral("Brieflow ") + applicationVersion();

    // Position among the step's images: its output's order, else the stored order.
    QList<OutputId> order = outputIdsOfStepOutput(imageStep->outputPayload);
    if (!order.contains(outputId)) {
        const auto all = store.outputs(image.jobId);
        if (!all)
            return fail(QStringLiteral("Can't read the images of job %1: %2")
                            .arg(image.jobId.toString(), all.error().message));
        order.clear();
        for (const OutputRecord &o : *all) {
            if (o.stepId == image.stepId && o.mime.startsWith(QLatin1String("image/")))
                order << o.id;
        }
    }
    lineage.index = static_cast<int>(order.indexOf(outputId)) + 1;
    lineage.count = static_cast<int>(order.size());
    if (lineage.index < 1) { // not an image/* record: count it on its own
        lineage.index = 1;
        lineage.count = std::max(1, lineage.count + 1);
    }

    for (auto it = steps->cbegin(); it != steps->cend(); ++it) {
        if (it->name == QLatin1String("concept"))
            lineage.conceptText = textOfStepOutput(it->outputPayload);
        else if (it->name == QLatin1String("image_prompt"))
            lineage.imagePrompt = textOfStepOutput(it->outputPayload);
        if (it->ordinal > imageStep->ordinal)
            continue; // later steps (store) did not shape the image
        auto use = modelUseOf(store, *it);
        if (!use)
            return fail(use.error());
        if (!use->has_value())
            continue;
        if (it == imageStep)
            lineage.seed = seedOf(it->inputPayload, (*use)->raw);
        lineage.models << (*use)->use;
    }
    // A workflow without an image_prompt step: the prompt the image model was given.
    if (lineage.imagePrompt.isEmpty())
        lineage.imagePrompt = stringAt(parseRaw(imageStep->inputPayload), "prompt");
    return lineage;
}

QByteArray lineageToJson(const ImageLineage &lineage)
{
    ordered_json models = ordered_json::array();
    for (const ModelUse &use : lineage.models) {
        ordered_json m;
        m["step"] = toStd(use.step);
        m["model"] = toStd(use.modelRef);
        m["version"] = toStd(use.version);
        m["prediction_id"] = toStd(use.predictionId);
        m["attempts"] = use.attempts;
        m["created_at"] = timeJson(use.createdAt);
        m["started_at"] = timeJson(use.startedAt);
        m["completed_at"] = timeJson(use.completedAt);
        m["predict_time"] =
            use.predictTimeSeconds ? ordered_json(*use.predictTimeSeconds) : ordered_json(nullptr);
        models.push_back(std::move(m));
    }
    const QByteArray briefJson = briefToJson(lineage.brief);

    ordered_json doc;
    doc["schema"] =
        std::string(ImageLineage::schema.data(), static_cast<size_t>(ImageLineage::schema.size()));
    doc["job_id"] = toStd(lineage.jobId.toString());
    doc["output_id"] = toStd(lineage.outputId.toString());
    doc["index"] = lineage.index;
    doc["count"] = lineage.count;
    doc["brief"] =
        ordered_json::parse(briefJson.constData(), briefJson.constData() + briefJson.size());
    doc["concept"] = toStd(lineage.conceptText);
    doc["image_prompt"] = toStd(lineage.imagePrompt);
    doc["models"] = std::move(models);
    doc["seed"] = lineage.seed ? ordered_json(*lineage.seed) : ordered_json(nullptr);
    ordered_json image;
    image["sha256"] = toStd(lineage.sha256);
    image["mime"] = toStd(lineage.mime);
    image["width"] = lineage.width;
    image["height"] = lineage.height;
    image["created_at"] = timeJson(lineage.imageCreatedAt);
    doc["image"] = std::move(image);
    doc["job_created_at"] = timeJson(lineage.jobCreatedAt);
    doc["generator"] = toStd(lineage.generator);
    const std::string text = doc.dump(2, ' ', false, ordered_json::error_handler_t::replace);
    return QByteArray(text.data(), static_cast<qsizetype>(text.size())) + '\n';
}

Result<ImageLineage, QString> lineageFromJson(const QByteArray &bytes)
{
    if (bytes.size() > 4 * MaxBriefJsonBytes)
        return fail(QStringLiteral("The lineage is too large (%1 bytes).").arg(bytes.size()));
    DuplicateKeys duplicates;
    json doc;
    try {
        doc =
            json::parse(bytes.constData(), bytes.constData() + bytes.size(), std::ref(duplicates));
    } catch (const json::exception &error) {
        return fail(QStringLiteral("The lineage isn't valid JSON: %1")
                        .arg(QString::fromUtf8(error.what())));
    }
    if (!duplicates.first().empty())
        return fail(QStringLiteral("The lineage field \"%1\" is given more than once.")
                        .arg(fromStd(duplicates.first())));
    if (!doc.is_object())
        return fail(QStringLiteral("The lineage must be a JSON object."));

    QString error;
    const Fields top(doc, QString(), &error);
    top.onlyKeys({"schema", "job_id", "output_id", "index", "count", "brief", "concept",
                  "image_prompt", "models", "seed", "image", "job_created_at", "generator"});
    if (!error.isEmpty())
        return fail(error);
    const QString schema = top.text("schema", true);
    if (!error.isEmpty())
        return fail(error);
    if (schema != ImageLineage::schema)
        return fail(QStringLiteral("The lineage field \"schema\" is \"%1\", expected \"%2\".")
                        .arg(schema, QString(ImageLineage::schema)));

    ImageLineage lineage;
    lineage.jobId = JobId(top.text("job_id", true));
    lineage.outputId = OutputId(top.text("output_id", true));
    lineage.count = static_cast<int>(top.integer("count", 1, 1000));
    lineage.index = static_cast<int>(top.integer("index", 1, 1000));
    if (error.isEmpty() && lineage.index > lineage.count)
        top.problem(QStringLiteral("index"),
                    QStringLiteral("(%1) must not be larger than \"count\" (%2)")
                        .arg(lineage.index)
                        .arg(lineage.count));
    if (const json *brief = top.object("brief"); brief && error.isEmpty()) {
        const std::string text = brief->dump();
        auto parsed = briefFromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
        if (!parsed) {
            const BriefIssue &issue = parsed.error().constFirst();
            top.problem(issue.field.isEmpty() ? QStringLiteral("brief")
                                              : QStringLiteral("brief.") + issue.field,
                        QStringLiteral("is not valid: ") + issue.message);
        } else {
            lineage.brief = std::move(parsed).value();
        }
    }
    lineage.conceptText = top.text("concept", false);
    lineage.imagePrompt = top.text("image_prompt", false);

    if (const json *models = top.get("models", true); models && error.isEmpty()) {
        if (!models->is_array())
            top.problem(QStringLiteral("models"), QStringLiteral("must be a list"));
        for (size_t i = 0; error.isEmpty() && i < models->size(); ++i) {
            const QString path = QStringLiteral("models[%1]").arg(i);
            const json &m = (*models)[i];
            if (!m.is_object()) {
                top.problem(path, QStringLiteral("must be an object"));
                break;
            }
            const Fields f(m, path, &error);
            f.onlyKeys({"step", "model", "version", "prediction_id", "attempts", "created_at",
                        "started_at", "completed_at", "predict_time"});
            ModelUse use;
            use.step = f.text("step", true);
            use.modelRef = f.text("model", true);
            use.version = f.text("version", false);
            use.predictionId = f.text("prediction_id", false);
            use.attempts = static_cast<int>(f.integer("attempts", 0, 1000));
            use.createdAt = f.time("created_at", false);
            use.startedAt = f.time("started_at", false);
            use.completedAt = f.time("completed_at", false);
            use.predictTimeSeconds = f.optionalNumber("predict_time");
            lineage.models << use;
        }
    }
    lineage.seed = top.optionalInteger("seed", std::numeric_limits<qint64>::min(),
                                       std::numeric_limits<qint64>::max());

    if (const json *image = top.object("image"); image && error.isEmpty()) {
        const Fields f(*image, QStringLiteral("image"), &error);
        f.onlyKeys({"sha256", "mime", "width", "height", "created_at"});
        lineage.sha256 = f.text("sha256", true);
        if (error.isEmpty() && !isSha256(lineage.sha256))
            f.problem(f.name("sha256"), QStringLiteral("must be 64 lowercase hex digits"));
        lineage.mime = f.text("mime", true);
        if (error.isEmpty() && !lineage.mime.startsWith(QLatin1String("image/")))
            f.problem(f.name("mime"), QStringLiteral("must be an image type (image/…)"));
        lineage.width = static_cast<int>(f.integer("width", 0, 1 << 20));
        lineage.height = static_cast<int>(f.integer("height", 0, 1 << 20));
        lineage.imageCreatedAt = f.time("created_at", false);
    }
    lineage.jobCreatedAt = top.time("job_created_at", false);
    if (top.get("generator", false))
        lineage.generator = top.text("generator", false);
    if (!error.isEmpty())
        return fail(error);
    return lineage;
}

} // namespace brieflow
