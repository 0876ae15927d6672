// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "briefjson.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/brief/briefutil_p.h"
#include "core/logging.h"

namespace brieflow {

namespace {

using nlohmann::json;
using namespace briefutil;

const QString exampleObject =
    QStringLiteral("{\"product_name\": \"…\", \"audience\": \"…\", \"value_proposition\": \"…\"}");

BriefIssues fileIssue(const QString &message)
{
    return {BriefIssue{QString(), message}};
}

QString fromStd(const std::string &text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// What a JSON value is, in words: "a number (42)", "a list".
QString describe(const json &value)
{
    switch (value.type()) {
    case json::value_t::string:
        return QStringLiteral("the text %1")
            .arg(quotedValue(fromStd(value.get_ref<const std::string &>())));
    case json::value_t::boolean:
        return value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
        return QStringLiteral("the number %1").arg(fromStd(value.dump()));
    case json::value_t::array:
        return QStringLiteral("a list in [ ]");
    case json::value_t::object:
        return QStringLiteral("a group of fields in { }");
    case json::value_t::null:
        return QStringLiteral("null");
    case json::value_t::binary:
    case json::value_t::discarded:
        break;
    }
    return QStringLiteral("something else");
}

// nlohmann's parse errors are written for programmers; say what probably went wrong instead.
QString parseErrorHint(const std::string &what)
{
    const auto has = [&](const char *text) { return what.find(text) != std::string::npos; };
    if (has("missing closing quote"))
        return QStringLiteral("a text is missing its closing quote (\")");
    if (has("control character"))
        return QStringLiteral("a line break or tab inside quotes must be written as \\n or \\t");
    if (has("surrogate"))
        return QStringLiteral("an emoji written as \\u… is incomplete");
    if (has("after backslash"))
        return QStringLiteral("a backslash (\\) inside quotes must be written as \\\\");
    if (has("unexpected end of input"))
        return QStringLiteral("the file ends too early; check that every { has a matching } and "
                              "every text has its closing \"");
    if (has("invalid literal"))
        return QStringLiteral("text and field names must be in straight double quotes (\"), not "
                              "single or curly quotes; true, false and null are lowercase");
    if (has("invalid number"))
        return QStringLiteral("this number is not written the JSON way (e.g. 2 or 2.5)");
    if (has("unexpected '}'; expected string literal")
        || has("unexpected ']'; expected '[', '{', or a literal"))
        return QStringLiteral("there is probably a comma too many before this point");
    if (has("unexpected '}'; expected ']'") || has("unexpected ']'; expected '}'"))
        return QStringLiteral("the brackets don't match: { closes with } and [ with ]");
    if (has("expected ':'"))
        return QStringLiteral("a colon (:) is missing after a field name");
    if (has("expected '}'") || has("expected ']'"))
        return QStringLiteral("a comma is probably missing before this point");
    if (has("expected end of input"))
        return QStringLiteral("there is more after the brief's closing }; a file holds one brief");
    return QStringLiteral("the JSON punctuation is broken here");
}

// nlohmann reports an unexpected text or number where it ends; point at its start instead.
qsizetype errorOffset(QByteArrayView data, const nlohmann::json::parse_error &error)
{
    qsizetype offset =
        std::clamp<qsizetype>(static_cast<qsizetype>(error.byte) - 1, 0, data.size());
    const std::string what = error.what();
    const bool unclosedText = what.find("missing closing quote") != std::string::npos;
    const bool endOfText = what.find("unexpected string literal") != std::string::npos
                           && offset < data.size() && data[offset] == '"';
    if (unclosedText || endOfText) {
        for (qsizetype i = std::min(offset, data.size()) - 1; i >= 0; --i) {
            qsizetype backslashes = 0;
            while (i - backslashes - 1 >= 0 && data[i - backslashes - 1] == '\\')
                ++backslashes;
            if (data[i] == '"' && backslashes % 2 == 0)
                return i;
        }
    } else if (what.find("unexpected number literal") != std::string::npos) {
        const auto isNumberChar = [](char c) {
            return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'
                   || c == 'E';
        };
        while (offset > 0 && isNumberChar(data[offset - 1]))
            --offset;
    }
    return offset;
}

// Records keys that appear more than once in the same object (nlohmann would silently keep the
// last one), with their dotted path.
class DuplicateKeyFinder {
public:
    bool operator()(int, json::parse_event_t event, json &parsed)
    {
        switch (event) {
        case json::parse_event_t::object_start:
        case json::parse_event_t::array_start:
            m_frames.push_back({childPath(), {}, {}});
            break;
        case json::parse_event_t::object_end:
        case json::parse_event_t::array_end:
            if (!m_frames.empty())
                m_frames.pop_back();
            break;
        case json::parse_event_t::key:
            if (!m_frames.empty() && parsed.is_string()) {
                Frame &frame = m_frames.back();
                frame.lastKey = parsed.get<std::string>();
                const std::string path =
                    frame.path.empty() ? frame.lastKey : frame.path + '.' + frame.lastKey;
                if (!frame.keys.insert(frame.lastKey).second && m_counts[path]++ == 0)
                    m_order.push_back(path);
            }
            break;
        case json::parse_event_t::value:
            break;
        }
        return true;
    }

    BriefIssues issues() const
    {
        BriefIssues result;
        for (const std::string &path : m_order) {
            const QString field = fromStd(path);
            const int times = m_counts.at(path) + 1;
            const QString label = briefFieldLabel(field);
            // One multi-argument arg(): a key may itself contain "%1".
            const QString message =
                label == field ? QStringLiteral("%1 is given %2 times — keep only one.")
                                     .arg(quotedValue(field), QString::number(times))
                               : QStringLiteral("%1 is given %2 times (%3) — keep only one.")
                                     .arg(label, QString::number(times), quotedValue(field));
            result.append({field, message});
        }
        return result;
    }

private:
    struct Frame {
        std::string path;
        std::set<std::string> keys;
        std::string lastKey;
    };

    std::string childPath() const
    {
        if (m_frames.empty())
            return {};
        const Frame &parent = m_frames.back();
        if (parent.lastKey.empty())
            return parent.path;
        return parent.path.empty() ? parent.lastKey : parent.path + '.' + parent.lastKey;
    }

    std::vector<Frame> m_frames;
    std::map<std::string, int> m_counts;
    std::vector<std::string> m_order;
};

const QList<std::pair<QString, QString>> &topLevelNames()
{
    static const QList<std::pair<QString, QString>> names = {
        {QStringLiteral("product_name"), QStringLiteral("product_name")},
        {QStringLiteral("name"), QStringLiteral("product_name")},
        {QStringLiteral("product"), QStringLiteral("product_name")},
        {QStringLiteral("audience"), QStringLiteral("audience")},
        {QStringLiteral("target_audience"), QStringLiteral("audience")},
        {QStringLiteral("value_proposition"), QStringLiteral("value_proposition")},
        {QStringLiteral("value_prop"), QStringLiteral("value_proposition")},
        {QStringLiteral("tone"), QStringLiteral("tone")},
        {QStringLiteral("tone_of_voice"), QStringLiteral("tone")},
        {QStringLiteral("brand_notes"), QStringLiteral("brand_notes")},
        {QStringLiteral("notes"), QStringLiteral("brand_notes")},
        {QStringLiteral("image"), QStringLiteral("image")},
        {QStringLiteral("images"), QStringLiteral("image")},
    };
    return names;
}

const QList<std::pair<QString, QString>> &imageNames()
{
    static const QList<std::pair<QString, QString>> names = {
        {QStringLiteral("aspect_ratio"), QStringLiteral("aspect_ratio")},
        {QStringLiteral("ratio"), QStringLiteral("aspect_ratio")},
        {QStringLiteral("count"), QStringLiteral("count")},
        {QStringLiteral("num_outputs"), QStringLiteral("count")},
        {QStringLiteral("image_count"), QStringLiteral("count")},
        {QStringLiteral("output_format"), QStringLiteral("output_format")},
        {QStringLiteral("format"), QStringLiteral("output_format")},
    };
    return names;
}

class BriefReader {
public:
    Brief brief;
    BriefIssues issues;
    QStringList typeFailed; // fields whose value was unusable; validation skips them

    void read(const json &object)
    {
        readText(object, "product_name", BriefField::ProductName, brief.productName);
        readText(object, "audience", BriefField::Audience, brief.audience);
        readText(object, "value_proposition", BriefField::ValueProposition, brief.valueProposition);
        readText(object, "tone", BriefField::Tone, brief.tone);
        readText(object, "brand_notes", BriefField::BrandNotes, brief.brandNotes);
        for (const auto &[key, value] : object.items()) {
            if (!isTopLevelKey(key))
                unknown(fromStd(key), QString(), topLevelNames());
        }

        const auto image = object.find("image");
        if (image == object.end() || image->is_null())
            return;
        if (!image->is_object()) {
            fieldIssue(BriefField::Image,
                       QStringLiteral("Image options must be a group of fields such as "
                                      "\"image\": {\"aspect_ratio\": \"16:9\", \"count\": 2, "
                                      "\"output_format\": \"png\"}; got %1.")
                           .arg(describe(*image)));
            return;
        }
        readText(*image, "aspect_ratio", BriefField::AspectRatio, brief.image.aspectRatio);
        readCount(*image);
        readText(*image, "output_format", BriefField::OutputFormat, brief.image.outputFormat);
        for (const auto &[key, value] : image->items()) {
            if (key != "aspect_ratio" && key != "count" && key != "output_format")
                unknown(fromStd(key), QStringLiteral("image."), imageNames());
        }
    }

private:
    static bool isTopLevelKey(const std::string &key)
    {
        return key == "product_name" || key == "audience" || key == "value_proposition"
               || key == "tone" || key == "brand_notes" || key == "image";
    }

    void fieldIssue(const QString &field, const QString &message)
    {
        issues.append({field, message});
        typeFailed.append(field);
    }

    void readText(const json &object, const char *key, const QString &field, QString &out)
    {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null())
            return;
        if (!it->is_string()) {
            fieldIssue(field, QStringLiteral("%1 must be text in double quotes; got %2.")
                                  .arg(briefFieldLabel(field), describe(*it)));
            return;
        }
        out = fromStd(it->get_ref<const std::string &>());
    }

    void readCount(const json &image)
    {
        const auto it = image.find("count");
        if (it == image.end() || it->is_null())
            return;
        const QString field = BriefField::ImageCount;
        const QString wholeNumber = QStringLiteral("Number of images must be a whole number from "
                                                   "%1 to %2")
                                        .arg(MinImageCount)
                                        .arg(MaxImageCount);
        if (it->is_number()) {
            const double number = it->get<double>();
            if (std::trunc(number) != number) {
                fieldIssue(field, QStringLiteral("%1; got %2.").arg(wholeNumber, describe(*it)));
            } else if (number < std::numeric_limits<int>::min()
                       || number > std::numeric_limits<int>::max()) {
                fieldIssue(field, QStringLiteral("Number of images must be from %1 to %2; got %3.")
                                      .arg(MinImageCount)
                                      .arg(MaxImageCount)
                                      .arg(fromStd(it->dump())));
            } else {
                brief.image.count = static_cast<int>(number); // the validator checks the range
            }
        } else if (it->is_string()) {
            // Deliberately strict: the stored payload has one spelling for a number.
            const QString text = fromStd(it->get_ref<const std::string &>()).trimmed();
            bool isNumber = false;
            text.toInt(&isNumber);
            if (isNumber)
                fieldIssue(field, QStringLiteral("Number of images must be a number without "
                                                 "quotes: write \"count\": %1, not \"count\": "
                                                 "\"%1\".")
                                      .arg(text));
            else
                fieldIssue(field, QStringLiteral("%1, written without quotes; got %2.")
                                      .arg(wholeNumber, describe(*it)));
        } else {
            fieldIssue(field, QStringLiteral("%1; got %2.").arg(wholeNumber, describe(*it)));
        }
    }

    void unknown(const QString &key, const QString &prefix,
                 const QList<std::pair<QString, QString>> &names)
    {
        const QString field = prefix + key;
        QString message;
        bool imageKeyAtTop = false;
        for (const auto &[spelling, name] : imageNames())
            imageKeyAtTop = imageKeyAtTop || (prefix.isEmpty() && spelling == key);
        if (imageKeyAtTop) {
            message = QStringLiteral("Unknown field %1 — image options go inside \"image\", e.g. "
                                     "\"image\": {\"aspect_ratio\": \"16:9\", \"count\": 2}.")
                          .arg(quotedValue(field));
        } else {
            const QString where = prefix.isEmpty() ? QStringLiteral("a brief has")
                                                   : QStringLiteral("the image options have");
            message = QStringLiteral("Unknown field %1 — %2 no such field. Remove it or fix its "
                                     "name.%3")
                          .arg(quotedValue(field), where, didYouMean(suggestName(key, names)));
        }
        issues.append({field, message});
    }
};

} // namespace

Result<Brief, BriefIssues> briefFromJson(const QByteArray &json)
{
    if (json.size() > MaxBriefJsonBytes)
        return fail(
            fileIssue(QStringLiteral("The file is too large (%1); a brief file can be at "
                                     "most %2. Is this the right file?")
                          .arg(formatByteSize(json.size()), formatByteSize(MaxBriefJsonBytes))));
    const QByteArrayView data = withoutBom(json);
    if (data.trimmed().isEmpty())
        return fail(fileIssue(
            QStringLiteral("The file is empty. A brief looks like %1.").arg(exampleObject)));

    if (looksLikeUtf16(data))
        return fail(fileIssue(QStringLiteral("The file is saved as UTF-16 text. Save it with the "
                                             "UTF-8 encoding instead.")));
    if (const qsizetype bad = firstInvalidUtf8(data); bad >= 0) {
        const TextPosition pos = textPosition(data, bad);
        return fail(fileIssue(
            QStringLiteral("The file isn't UTF-8 text: line %1, column %2 has the byte %3, which "
                           "UTF-8 doesn't allow. Save the file with the UTF-8 encoding.")
                .arg(pos.line)
                .arg(pos.column)
                .arg(byteName(static_cast<unsigned char>(data[bad])))));
    }

    DuplicateKeyFinder duplicates;
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(data.begin(), data.end(), std::ref(duplicates));
    } catch (const nlohmann::json::parse_error &error) {
        const TextPosition pos = textPosition(data, errorOffset(data, error));
        qCDebug(lcBrief) << "brief JSON parse error:" << error.what();
        // Prose or CSV where JSON was expected: say what a brief file looks like instead.
        const QByteArrayView start = data.trimmed();
        const bool notJsonAtAll = !start.startsWith('{') && !start.startsWith('[');
        const QString hint =
            notJsonAtAll
                ? QStringLiteral("a brief file starts with { and looks like %1").arg(exampleObject)
                : parseErrorHint(error.what());
        return fail(fileIssue(QStringLiteral("The file isn't valid JSON: line %1, column %2 — %3.")
                                  .arg(pos.line)
                                  .arg(pos.column)
                                  .arg(hint)));
    } catch (const nlohmann::json::exception &error) {
        // Not a syntax error: a number too large for a double ("1e400").
        qCDebug(lcBrief) << "brief JSON error:" << error.what();
        return fail(fileIssue(QStringLiteral("The file isn't valid JSON: it contains a number too "
                                             "large to read.")));
    }

    if (document.is_array())
        return fail(fileIssue(QStringLiteral("The file contains a list in [ ], but a brief is one "
                                             "object in { } such as %1. To run several briefs, "
                                             "use one file each or a CSV file.")
                                  .arg(exampleObject)));
    if (!document.is_object())
        return fail(fileIssue(QStringLiteral("The file contains %1, but a brief is an object in "
                                             "{ } such as %2.")
                                  .arg(describe(document), exampleObject)));

    BriefReader reader;
    reader.read(document);
    BriefIssues issues = duplicates.issues();
    issues += reader.issues;
    issues += withoutFields(validateBrief(reader.brief), reader.typeFailed);
    sortIssues(issues);
    if (!issues.isEmpty())
        return fail(std::move(issues));
    return normalizedBrief(reader.brief);
}

QByteArray briefToJson(const Brief &brief)
{
    const auto utf8 = [](const QString &text) { return text.toStdString(); };
    nlohmann::ordered_json image;
    image["aspect_ratio"] = utf8(brief.image.aspectRatio);
    image["count"] = brief.image.count;
    image["output_format"] = utf8(brief.image.outputFormat);
    nlohmann::ordered_json object;
    object["product_name"] = utf8(brief.productName);
    object["audience"] = utf8(brief.audience);
    object["value_proposition"] = utf8(brief.valueProposition);
    object["tone"] = utf8(brief.tone);
    object["brand_notes"] = utf8(brief.brandNotes);
    object["image"] = std::move(image);
    // replace: a broken surrogate in the text must not make the dump throw.
    const std::string text =
        object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

} // namespace brieflow
