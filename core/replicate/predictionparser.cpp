// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "predictionparser.h"

#include <nlohmann/json.hpp>

#include "core/replicate/jsonaccess_p.h"
#include "core/util/canonicaljson.h"

namespace brieflow::replicate {

namespace {

using json = nlohmann::json;

/** Short name for the shared reader: the parsers below call it a lot. */
QString str(const json &object, const char *key)
{
    return jsonString(object, key);
}

QUrl url(const json &object, const char *key)
{
    const QString text = str(object, key);
    return text.isEmpty() ? QUrl() : QUrl(text, QUrl::StrictMode);
}

QDateTime timestamp(const json &object, const char *key)
{
    return parseTimestamp(str(object, key));
}

std::optional<double> number(const json &object, const char *key)
{
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
}

QByteArray dumpCompact(const json &value)
{
    const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

QByteArray canonical(const json &value)
{
    const QByteArray dumped = dumpCompact(value);
    return canonicalJson(dumped).value_or(dumped);
}

bool isFileReference(const std::string &text)
{
    const auto startsWith = [&text](const char *prefix) { return text.rfind(prefix, 0) == 0; };
    if (!startsWith("https://") && !startsWith("http://") && !startsWith("data:"))
        return false;
    return text.find_first_of(" \t\r\n") == std::string::npos;
}

void readOutput(const json &output, Prediction &prediction)
{
    prediction.hasOutput = !output.is_null();
    if (!prediction.hasOutput)
        return;
    prediction.outputJson = canonical(output);
    if (output.is_string()) {
        const std::string &text = output.get_ref<const std::string &>();
        if (isFileReference(text))
            prediction.outputFiles << QString::fromStdString(text);
        else
            prediction.outputText = QString::fromStdString(text);
        return;
    }
    if (output.is_array()) {
        bool allStrings = true;
        bool allFiles = !output.empty();
        for (const json &item : output) {
            allStrings = allStrings && item.is_string();
            allFiles = allFiles && item.is_string()
                       && isFileReference(item.get_ref<const std::string &>());
        }
        if (allFiles) {
            for (const json &item : output)
                prediction.outputFiles << QString::fromStdString(item.get<std::string>());
            return;
        }
        if (allStrings) {
            std::string joined;
            for (const json &item : output)
                joined += item.get_ref<const std::string &>();
            prediction.outputText = QString::fromStdString(joined);
            return;
        }
    }
    prediction.outputText = QString::fromUtf8(dumpCompact(output));
}

QString renderError(const json &error)
{
    if (error.is_null())
        return {};
    if (error.is_string())
        return QString::fromStdString(error.get_ref<const std::string &>());
    if (error.is_object()) {
        for (const char *key : {"detail", "message", "error"}) {
            const QString text = str(error, key);
            if (!text.isEmpty())
                return text;
        }
    }
    return QString::fromUtf8(dumpCompact(error));
}

Result<Prediction, ProviderError> fromJson(const json &object, QByteArray raw)
{
    if (!object.is_object())
        return fail(malformedResponse(raw, QStringLiteral("the prediction is not a JSON object")));
    Prediction p;
    p.id = str(object, "id");
    if (p.id.isEmpty())
        return fail(malformedResponse(raw, QStringLiteral("the prediction has no id")));
    const QString status = str(object, "status");
    const std::optional<PredictionStatus> parsedStatus = predictionStatusFromString(status);
    if (!parsedStatus) {
        return fail(malformedResponse(
            raw, QStringLiteral("the prediction has an unknown status \"%1\"").arg(status)));
    }
    p.status = *parsedStatus;
    p.model = str(object, "model");
    p.version = str(object, "version");

    if (const auto input = object.find("input"); input != object.end() && !input->is_null())
        p.canonicalInput = canonical(*input);
    if (const auto output = object.find("output"); output != object.end())
        readOutput(*output, p);
    if (const auto error = object.find("error"); error != object.end())
        p.error = renderError(*error);
    p.logs = str(object, "logs");

    p.createdAt = timestamp(object, "created_at");
    p.startedAt = timestamp(object, "started_at");
    p.completedAt = timestamp(object, "completed_at");
    p.deadline = timestamp(object, "deadline");
    if (const auto metrics = object.find("metrics");
        metrics != object.end() && metrics->is_object()) {
        p.predictTime = number(*metrics, "predict_time");
        p.totalTime = number(*metrics, "total_time");
    }
    if (const auto urls = object.find("urls"); urls != object.end() && urls->is_object()) {
        p.getUrl = url(*urls, "get");
        p.cancelUrl = url(*urls, "cancel");
        p.streamUrl = url(*urls, "stream");
        p.webUrl = url(*urls, "web");
    }
    if (const auto removed = object.find("data_removed");
        removed != object.end() && removed->is_boolean())
        p.dataRemoved = removed->get<bool>();
    p.source = str(object, "source");
    p.raw = std::move(raw);
    return p;
}

json parseBody(const QByteArray &body)
{
    return json::parse(body.cbegin(), body.cend(), nullptr, /*allow_exceptions=*/false);
}

// Reads up to @p maxDigits decimal digits at @p pos; -1 when fewer than @p minDigits.
int digits(QStringView text, qsizetype &pos, int minDigits, int maxDigits)
{
    int value = 0;
    int count = 0;
    while (pos < text.size() && count < maxDigits && text[pos].isDigit()
           && text[pos].unicode() < 0x80) {
        value = value * 10 + (text[pos].unicode() - u'0');
        ++pos;
        ++count;
    }
    return count < minDigits ? -1 : value;
}

bool expect(QStringView text, qsizetype &pos, char16_t c)
{
    if (pos >= text.size() || text[pos].unicode() != c)
        return false;
    ++pos;
    return true;
}

} // namespace

ProviderError malformedResponse(const QByteArray &body, const QString &why)
{
    ProviderError error;
    error.kind = ProviderError::Kind::MalformedResponse;
    error.detail = why;
    error.rawBody = body;
    return error;
}

Result<Prediction, ProviderError> parsePrediction(const QByteArray &body)
{
    try {
        const json parsed = parseBody(body);
        if (parsed.is_discarded())
            return fail(malformedResponse(body, QStringLiteral("the body is not valid JSON")));
        return fromJson(parsed, body);
    } catch (const json::exception &e) {
        return fail(malformedResponse(body, QString::fromUtf8(e.what())));
    }
}

Result<PredictionPage, ProviderError> parsePredictionPage(const QByteArray &body)
{
    try {
        const json parsed = parseBody(body);
        if (!parsed.is_object())
            return fail(malformedResponse(body, QStringLiteral("the page is not a JSON object")));
        const auto results = parsed.find("results");
        if (results == parsed.end() || !results->is_array())
            return fail(malformedResponse(body, QStringLiteral("the page has no results list")));
        PredictionPage page;
        page.next = url(parsed, "next");
        page.previous = url(parsed, "previous");
        for (const json &item : *results) {
            auto prediction = fromJson(item, dumpCompact(item));
            if (!prediction) {
                ProviderError error = prediction.error();
                error.rawBody = body;
                return fail(std::move(error));
            }
            page.predictions << std::move(prediction).value();
        }
        return page;
    } catch (const json::exception &e) {
        return fail(malformedResponse(body, QString::fromUtf8(e.what())));
    }
}

Result<Account, ProviderError> parseAccount(const QByteArray &body)
{
    const json parsed = parseBody(body);
    if (!parsed.is_object() || str(parsed, "username").isEmpty())
        return fail(malformedResponse(body, QStringLiteral("the account has no username")));
    return Account{str(parsed, "type"), str(parsed, "username"), str(parsed, "name")};
}

Result<QString, ProviderError> parseWebhookSecret(const QByteArray &body)
{
    const json parsed = parseBody(body);
    const QString key = parsed.is_object() ? str(parsed, "key") : QString();
    if (key.isEmpty())
        return fail(malformedResponse(body, QStringLiteral("the webhook secret has no key")));
    return key;
}

QDateTime parseTimestamp(QStringView text)
{
    qsizetype pos = 0;
    const int year = digits(text, pos, 4, 4);
    if (year < 0 || !expect(text, pos, u'-'))
        return {};
    const int month = digits(text, pos, 2, 2);
    if (month < 0 || !expect(text, pos, u'-'))
        return {};
    const int day = digits(text, pos, 2, 2);
    if (day < 0 || !(expect(text, pos, u'T') || expect(text, pos, u' ')))
        return {};
    const int hour = digits(text, pos, 2, 2);
    if (hour < 0 || !expect(text, pos, u':'))
        return {};
    const int minute = digits(text, pos, 2, 2);
    if (minute < 0 || !expect(text, pos, u':'))
        return {};
    const int second = digits(text, pos, 2, 2);
    if (second < 0)
        return {};
    int msec = 0;
    if (expect(text, pos, u'.')) {
        const qsizetype start = pos;
        const int fraction = digits(text, pos, 1, 9);
        if (fraction < 0)
            return {};
        // Scale to milliseconds: "5" → 500, "36078514" → 360.
        const qsizetype count = pos - start;
        msec = fraction;
        for (qsizetype i = count; i < 3; ++i)
            msec *= 10;
        for (qsizetype i = 3; i < count; ++i)
            msec /= 10;
    }
    int offsetSeconds = 0;
    if (pos < text.size()) {
        if (expect(text, pos, u'Z') || expect(text, pos, u'z')) {
            // UTC
        } else if (text[pos] == u'+' || text[pos] == u'-') {
            const int sign = text[pos] == u'-' ? -1 : 1;
            ++pos;
            const int offHours = digits(text, pos, 2, 2);
            expect(text, pos, u':');
            const int offMinutes = digits(text, pos, 2, 2);
            if (offHours < 0 || offMinutes < 0 || offHours > 23 || offMinutes > 59)
                return {};
            offsetSeconds = sign * (offHours * 3600 + offMinutes * 60);
        } else {
            return {};
        }
    }
    if (pos != text.size())
        return {};
    const QDate date(year, month, day);
    const QTime time(hour, minute, second, msec);
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC).addSecs(-offsetSeconds);
}

} // namespace brieflow::replicate
