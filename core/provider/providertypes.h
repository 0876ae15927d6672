// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariant>
#include <QVariantList>

namespace brieflow {

/** A prediction's status at the provider. Succeeded, Failed, Canceled and Aborted are final. */
/** Why the provider slowed us down (a 429). */
enum class RateLimitReason {
    Throttled, ///< over the account's request rate for a moment
    LowCredit, ///< creates held to 6 a minute (burst 1) while the account's credit is low
};

enum class PredictionStatus { Starting, Processing, Succeeded, Failed, Canceled, Aborted };

/** "starting", "processing", "succeeded", "failed", "canceled", "aborted". */
QString toString(PredictionStatus status);
std::optional<PredictionStatus> predictionStatusFromString(QStringView text);
bool isTerminal(PredictionStatus status);

/**
 * A model reference as a user writes it: "owner/name" (an official model, run by name),
 * "owner/name:<version>" or a bare 64-hex version id (run by version), or
 * "deployments/owner/name" (a deployment). parse() accepts nothing else.
 */
struct ModelRef {
    enum class Kind { Model, Version, Deployment };

    Kind kind = Kind::Model;
    QString owner;   ///< empty for a bare version id
    QString name;    ///< empty for a bare version id
    QString version; ///< Kind::Version only

    static std::optional<ModelRef> parse(const QString &text);
    /** The canonical text form; parse(toString()) gives the same reference. */
    QString toString() const;

    friend bool operator==(const ModelRef &, const ModelRef &) = default;
};

/** One entry of a 422 body's invalid_fields: {"type":"enum","field":"input.x","description":…}. */
struct InvalidField {
    QString type;
    QString field;
    QString description;

    friend bool operator==(const InvalidField &, const InvalidField &) = default;
};

/**
 * What went wrong talking to the provider, typed so callers can decide without parsing text.
 * OutcomeUnknown is only ever reported for a create: the request may have created a prediction
 * (a timeout, a reset or a 5xx after sending), so the caller must reconcile rather than re-send.
 */
struct ProviderError {
    enum class Kind {
        Unauthenticated,    ///< 401
        InsufficientCredit, ///< 402
        NotFound,           ///< 404
        InvalidInput,       ///< 422, with invalidFields
        RateLimited,        ///< 429, with retryAfter
        ServerError,        ///< 5xx (on a read; a create's 5xx is OutcomeUnknown)
        Network,            ///< could not talk to the server; see mayHaveReachedServer
        Timeout,            ///< no answer in time (on a read)
        MalformedResponse,  ///< an answer we could not understand; rawBody kept
        OutcomeUnknown,     ///< a create that may or may not have created a prediction
        Canceled,           ///< we aborted the request ourselves
        HttpError,          ///< any other 4xx (or a redirect we refused to follow)
        InvalidRequest,     ///< refused locally before sending (no Cancel-After, bad id, …)
    };

    Kind kind = Kind::Network;
    int httpStatus = 0; ///< 0 when there was no HTTP answer
    QString title;      ///< RFC 7807 title, when given
    QString detail;     ///< RFC 7807 detail, or a description of the local failure
    QList<InvalidField> invalidFields;
    std::optional<std::chrono::milliseconds> retryAfter; ///< from Retry-After or retry_after
    bool mayHaveReachedServer = true; ///< false only when the request provably never left
    QByteArray rawBody;               ///< the response body as received (never contains the token)
    int attempts = 0;                 ///< how many times the request was sent (0: never)

    /** A one-line technical description, for logs and the "Details" disclosure. */
    QString describe() const;
};

/** "unauthenticated", "insufficient_credit", "not_found", "invalid_input", "rate_limited",
 *  "server_error", "network", "timeout", "malformed_response", "outcome_unknown", "canceled",
 *  "http_error", "invalid_request": the error_type strings stored in the job database. */
QString toString(ProviderError::Kind kind);

/**
 * A prediction as our code sees it: the provider's JSON normalised at the edge. Text output
 * (a list of tokens, or a string) is joined into outputText; file output (URLs or data: URIs,
 * alone or in a list) goes to outputFiles. raw keeps the response bytes for the attempt record.
 */
struct Prediction {
    QString id;
    QString model; ///< as the provider reports it (may differ from what was called)
    QString version;
    PredictionStatus status = PredictionStatus::Starting;

    QByteArray canonicalInput; ///< the echoed input as canonical JSON (sorted keys, compact)
    bool hasOutput = false;    ///< output present and not null
    QString outputText;        ///< text output; other non-file JSON output as compact JSON text
    QStringList outputFiles;   ///< http(s) URLs or data: URIs
    QByteArray outputJson;     ///< the output as canonical JSON, for schema-aware callers
    QString error;             ///< the model's error, rendered as text (string or object)
    QString logs;

    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime completedAt;
    QDateTime deadline;
    std::optional<double> predictTime; ///< seconds, from metrics
    std::optional<double> totalTime;   ///< seconds, from metrics

    QUrl getUrl;
    QUrl cancelUrl;
    QUrl streamUrl;
    QUrl webUrl;
    bool dataRemoved = false;
    QString source; ///< "api" or "web"

    QByteArray raw;
};

/** What to create: a model, a canonical JSON input object, and the options of the create call. */
struct CreateRequest {
    ModelRef model;
    QByteArray input; ///< a JSON object, canonical (see canonicalJson())
    /// Cancel-After: the provider cancels the prediction after this long, which bounds the cost
    /// of an orphan. Required, at least 5 s: a create without one is refused (InvalidRequest).
    std::chrono::seconds cancelAfter{0};
    QUrl webhook;
    QStringList webhookEventsFilter; ///< "start", "output", "logs", "completed"
    bool stream = false;
    /// 0 = asynchronous create (no Prefer header, the default and the safe choice); 1–60 sends
    /// `Prefer: wait=N`. Even then the answer may be non-terminal (see ModelProvider).
    int preferWaitSeconds = 0;
};

/** One page of a prediction listing, newest first. */
struct PredictionPage {
    QList<Prediction> predictions;
    QUrl next; ///< empty on the last page
    QUrl previous;
};

/**
 * Which predictions to list. Either a time window (created_after / created_before, each
 * optional) or, to continue a listing, the `next` URL of a previous page (then the window is
 * ignored). The provider follows `next` by itself for up to maxPages pages and returns them as
 * one PredictionPage whose `next` is non-empty when more pages remain.
 */
struct PredictionListQuery {
    QDateTime createdAfter;
    QDateTime createdBefore;
    QUrl cursor;      ///< a PredictionPage::next to continue from; empty for the first page
    int maxPages = 1; ///< pages to fetch in this call, at least 1
};

/** A piece of a prediction's live output, as its stream delivers it. */
struct StreamChunk {
    enum class Kind { Text, File, Logs };
    Kind kind = Kind::Text;
    QString value; ///< a text token, a file URL or data: URI, or log text
};

/** How a prediction's stream ended. Anything but Succeeded: read the prediction to learn its
 *  fate (the stream is a convenience; the prediction stays the source of truth). */
enum class StreamEnd { Succeeded, Canceled, Failed, EndedEarly, TooLarge };

/** The account behind the token, for "Test connection". */
struct Account {
    QString type; ///< "user" or "organization"
    QString username;
    QString name;
};

/**
 * One input of a model version, normalised from its OpenAPI schema (Input.properties, with
 * enums resolved through allOf/$ref). Values (default, enum, min/max) are JSON scalars as
 * QVariant: QString, qint64, double or bool; lists and objects as QVariantList/QVariantMap.
 */
struct InputProperty {
    enum class Type { String, Integer, Number, Boolean, Array, Object, Unknown };

    QString name;
    Type type = Type::Unknown;
    bool required = false;
    QString title;
    QString description;
    QString format;          ///< e.g. "uri" for a file input
    QVariant defaultValue;   ///< invalid when the schema gives none
    QVariantList enumValues; ///< empty when any value of the type is allowed
    std::optional<double> minimum;
    std::optional<double> maximum;
    int order = 0; ///< x-order; properties are listed in this order

    friend bool operator==(const InputProperty &, const InputProperty &) = default;
};

/** "string", "integer", "number", "boolean", "array", "object", "unknown". */
QString toString(InputProperty::Type type);

/** What a version's output looks like, from its Output schema. */
enum class OutputShape {
    Unknown,    ///< no or unsupported schema
    Text,       ///< a string
    TextTokens, ///< an array of strings to concatenate (x-cog-array-type: iterator)
    File,       ///< a string with format uri
    FileList,   ///< an array of strings with format uri
    Other,      ///< anything else (objects, numbers, …)
};

/**
 * A model version with its normalised input schema. hasSchema is false when the provider gave
 * no usable schema (cog_version null or "dev", a missing Input): callers then skip client-side
 * validation rather than fail.
 */
struct ModelVersion {
    QString id;
    QDateTime createdAt;
    QString cogVersion;
    bool hasSchema = false;
    QList<InputProperty> inputs; ///< ordered by x-order, then name
    OutputShape output = OutputShape::Unknown;
};

/** A model as the provider describes it; latestVersion is empty for a model without versions. */
struct ModelInfo {
    QString owner;
    QString name;
    QString description;
    QString visibility; ///< "public" or "private"
    QUrl url;
    qint64 runCount = 0;
    std::optional<ModelVersion> latestVersion;
};

} // namespace brieflow
