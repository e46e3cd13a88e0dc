// The hub's central promise, tested generatively: every read path answers
// from the caller's view of a record. For a random consortium (agreements
// with scopes and validity, records of two kinds with random visibility,
// tiers, grants with embargoes before and after now, releases, restricted
// fields, labels and lineage), for every caller (4 institutions x 3 roles
// and a hub admin) and a set of random filters over every field path,
// including access, etag, provenance, references and descends_from():
//   - List(filter) equals the filter applied, here, to the caller's Get
//     views of all records (the model), and each listed item is that view;
//   - GetLineage (down and up) equals the walk over the references those
//     views hold;
//   - a record the caller may not see answers Get exactly like a record that
//     does not exist (same code, same message but for the name).
// Seeded and reproducible: BATTERYHUB_VIEW_SEEDS=N runs seeds 1..N (CI: 4).
#include <google/protobuf/util/time_util.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "query/filter.h"
#include "tests/services/hub_fixture.h"

namespace batteryhub::testing {
namespace {

namespace v1 = ::batteryhub::v1;
using google::protobuf::util::TimeUtil;

const char* kInstitutions[] = {"aist", "nedo", "libtec", "nrc"};
const char* kRoles[] = {"viewer", "submitter", "steward"};
const v1::Visibility kVisibilities[] = {v1::VISIBILITY_PRIVATE, v1::VISIBILITY_AGREEMENT,
                                        v1::VISIBILITY_CONSORTIUM, v1::VISIBILITY_PUBLIC};
const v1::Tier kTiers[] = {v1::TIER_METADATA, v1::TIER_SUMMARY, v1::TIER_FULL};

google::protobuf::Timestamp Days(double days) {
  return TimeUtil::SecondsToTimestamp(TimeUtil::TimestampToSeconds(TimeUtil::GetCurrentTime()) +
                                      static_cast<int64_t>(days * 86400));
}

// A view as Get returned it, for either kind.
struct View {
  std::string name;
  std::unique_ptr<google::protobuf::Message> message;
  std::vector<std::string> references;  // what the view itself names
};

class ViewInvariantTest : public HubFixture {
 protected:
  std::mt19937 rng_;
  std::vector<std::string> samples_, characterizations_, agreements_;
  std::map<std::string, std::set<std::string>> members_;  // agreement -> institution names
  int cases_ = 0;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(double p = 0.5) { return std::bernoulli_distribution(p)(rng_); }
  std::string Institution() { return kInstitutions[Pick(4)]; }

  void CreateAgreements(client::HubClient& admin) {
    for (int a = 0; a < 3; ++a) {
      v1::CreateAgreementRequest req;
      req.set_agreement_id("a" + std::to_string(a));
      for (const char* i : kInstitutions) {
        if (Coin(0.6)) req.mutable_agreement()->add_members(std::string("institutions/") + i);
      }
      while (req.agreement().members_size() < 2) {
        req.mutable_agreement()->add_members("institutions/" + Institution());
        std::set<std::string> unique(req.agreement().members().begin(),
                                     req.agreement().members().end());
        req.mutable_agreement()->clear_members();
        for (const auto& m : unique) req.mutable_agreement()->add_members(m);
      }
      if (Coin()) req.mutable_agreement()->add_kinds(Coin() ? "samples" : "characterizations");
      if (Coin()) (*req.mutable_agreement()->mutable_labels())["project"] = "p" + std::to_string(Pick(2));
      req.mutable_agreement()->set_tier(kTiers[Pick(3)]);
      *req.mutable_agreement()->mutable_start_time() = Days(Coin(0.8) ? -10 : 10);
      if (Coin(0.2)) *req.mutable_agreement()->mutable_end_time() = Days(-1);
      v1::Agreement out;
      grpc::Status st = admin.CreateAgreement(req, &out);
      ASSERT_TRUE(st.ok()) << st.error_message();
      agreements_.push_back(out.name());
      members_[out.name()] = {out.members().begin(), out.members().end()};
    }
  }

  v1::Access RandomAccess(const std::string& owner, const std::vector<std::string>& restrictable) {
    v1::Access a;
    a.set_visibility(kVisibilities[Pick(4)]);
    if (a.visibility() == v1::VISIBILITY_AGREEMENT) {
      for (const std::string& name : agreements_) {
        if (members_[name].count("institutions/" + owner) && Coin(0.7)) a.add_agreements(name);
      }
      if (a.agreements().empty()) a.set_visibility(v1::VISIBILITY_PRIVATE);
    }
    if (Coin()) a.set_tier(kTiers[Pick(3)]);
    for (const char* i : kInstitutions) {
      if (i == owner || !Coin(0.3)) continue;
      auto* g = a.add_grants();
      g->set_institution(std::string("institutions/") + i);
      g->set_tier(kTiers[Pick(3)]);
      if (Coin()) *g->mutable_start_time() = Days(Coin() ? -5 : 5);
      g->set_restricted_fields(Coin());
    }
    for (const std::string& path : restrictable) {
      if (Coin(0.3)) a.add_restricted_fields(path);
    }
    if (Coin(0.2) && a.visibility() != v1::VISIBILITY_PUBLIC) {
      a.mutable_release()->set_visibility(a.visibility() == v1::VISIBILITY_CONSORTIUM
                                              ? v1::VISIBILITY_PUBLIC
                                              : v1::VISIBILITY_CONSORTIUM);
      *a.mutable_release()->mutable_time() = Days(Coin() ? -3 : 3);
    }
    return a;
  }

  void Labels(google::protobuf::Map<std::string, std::string>* labels) {
    if (Coin(0.7)) (*labels)["project"] = "p" + std::to_string(Pick(2));
  }

  void CreateRecords(int count) {
    for (int n = 0; n < count; ++n) {
      const std::string inst = Institution();
      auto steward = Client(inst + "-steward");
      if (samples_.empty() || Coin(0.6)) {
        v1::CreateSampleRequest req;
        req.set_parent("institutions/" + inst);
        req.set_sample_id("s" + std::to_string(n));
        v1::Sample* s = req.mutable_sample();
        s->set_kind(v1::SAMPLE_KIND_MATERIAL_LOT);
        s->set_display_name("n" + std::to_string(Pick(3)));
        if (Coin(0.7)) s->set_description("d" + std::to_string(Pick(3)));
        auto* lot = s->mutable_material_lot();
        lot->set_material_class(v1::MATERIAL_CLASS_PRECURSOR);
        lot->set_material("NMC811 precursor");
        lot->mutable_origin()->set_country(Coin() ? "CA" : "JP");
        if (Coin(0.7)) lot->mutable_origin()->set_supplier("S" + std::to_string(Pick(3)));
        Labels(s->mutable_labels());
        *s->mutable_access() = RandomAccess(inst, {"description", "derived_from",
                                                   "material_lot.origin.country", "display_name"});
        const int parents = samples_.empty() ? 0 : Pick(3);
        for (int k = 0; k < parents; ++k) s->add_derived_from(samples_[Pick(samples_.size())]);
        v1::Sample out;
        grpc::Status st = steward->CreateSample(req, &out);
        if (!st.ok()) {  // a parent the steward may not see: derive from none
          s->clear_derived_from();
          st = steward->CreateSample(req, &out);
        }
        ASSERT_TRUE(st.ok()) << st.error_message();
        samples_.push_back(out.name());
      } else {
        v1::CreateCharacterizationRequest req;
        req.set_parent("institutions/" + inst);
        req.set_characterization_id("c" + std::to_string(n));
        v1::Characterization* c = req.mutable_characterization();
        c->set_technique(Coin() ? v1::TECHNIQUE_BET : v1::TECHNIQUE_XRD);
        if (Coin(0.7)) c->set_description("d" + std::to_string(Pick(3)));
        auto* r = c->add_results();
        r->set_name("r" + std::to_string(Pick(2)));
        r->mutable_value()->set_value(1.5);
        r->mutable_value()->set_unit("Ah");
        if (Coin()) {
          auto* curve = c->add_curves();
          curve->set_name("k" + std::to_string(Pick(2)));
          curve->add_x(1);
          curve->add_y(2);
        }
        Labels(c->mutable_labels());
        *c->mutable_access() = RandomAccess(inst, {"description", "sample"});
        c->set_sample(samples_[Pick(samples_.size())]);
        v1::Characterization out;
        grpc::Status st = steward->CreateCharacterization(req, &out);
        for (int tries = 0; !st.ok() && tries < 20; ++tries) {
          c->set_sample(samples_[Pick(samples_.size())]);
          st = steward->CreateCharacterization(req, &out);
        }
        if (st.ok()) characterizations_.push_back(out.name());
      }
    }
  }

  // The caller's Get views of every record of one kind (`get` is the kind's
  // Get, `references` what a view names); a hidden record is checked to
  // answer exactly like a missing one (same code, same message but for the
  // name).
  template <typename Resource, typename GetFn, typename RefsFn>
  void GetAll(const std::vector<std::string>& names, GetFn get, RefsFn references,
              const std::string& who, std::map<std::string, View>* views) {
    for (const std::string& name : names) {
      auto r = std::make_unique<Resource>();
      grpc::Status st = get(name, r.get());
      if (!st.ok()) {
        const std::string missing = name.substr(0, name.rfind('/')) + "/none";
        Resource none;
        grpc::Status absent = get(missing, &none);
        EXPECT_EQ(st.error_code(), absent.error_code()) << who << " " << name;
        EXPECT_EQ(absl::StrReplaceAll(st.error_message(), {{name, "NAME"}}),
                  absl::StrReplaceAll(absent.error_message(), {{missing, "NAME"}}))
            << who << " " << name;
        ++cases_;
        continue;
      }
      View v{name, nullptr, references(*r)};
      v.message = std::move(r);
      views->emplace(name, std::move(v));
    }
  }

  std::map<std::string, View> Views(client::HubClient& c, const std::string& who) {
    std::map<std::string, View> views;
    GetAll<v1::Sample>(
        samples_, [&](const std::string& n, v1::Sample* out) { return c.GetSample(n, out); },
        [](const v1::Sample& s) {
          return std::vector<std::string>(s.derived_from().begin(), s.derived_from().end());
        },
        who, &views);
    GetAll<v1::Characterization>(
        characterizations_,
        [&](const std::string& n, v1::Characterization* out) {
          return c.GetCharacterization(n, out);
        },
        [](const v1::Characterization& ch) {
          return ch.sample().empty() ? std::vector<std::string>()
                                     : std::vector<std::string>{ch.sample()};
        },
        who, &views);
    return views;
  }

  // Records reachable from `root` over the references the views hold:
  // down (records naming the one above) or up (records named).
  static std::set<std::string> Walk(const std::map<std::string, View>& views,
                                    const std::string& root, bool up) {
    std::set<std::string> seen, out;
    if (!views.count(root)) return out;
    std::vector<std::string> level = {root};
    seen.insert(root);
    while (!level.empty()) {
      std::vector<std::string> next;
      for (const std::string& at : level) {
        if (up) {
          for (const std::string& ref : views.at(at).references) {
            if (views.count(ref) && seen.insert(ref).second) next.push_back(ref);
          }
        } else {
          for (const auto& [name, v] : views) {
            if (seen.count(name)) continue;
            for (const std::string& ref : v.references) {
              if (ref == at && seen.insert(name).second) next.push_back(name);
            }
          }
        }
      }
      out.insert(next.begin(), next.end());
      level = std::move(next);
    }
    return out;
  }

  std::string RandomTerm(bool sample) {
    const std::string inst = Institution();
    const std::string any_sample = samples_[Pick(samples_.size())];
    std::vector<std::string> common = {
        "owner = \"institutions/" + inst + "\"",
        "labels.project = \"p" + std::to_string(Pick(2)) + "\"",
        "labels.project:*",
        "description:*",
        "description = \"d" + std::to_string(Pick(3)) + "\"",
        "NOT description = \"d" + std::to_string(Pick(3)) + "\"",
        "access.grants.institution = \"institutions/" + inst + "\"",
        "access.grants.tier = TIER_FULL",
        "access.agreements:*",
        "access.visibility = " + std::string(Coin() ? "VISIBILITY_CONSORTIUM" : "VISIBILITY_PRIVATE"),
        "access.restricted_fields:*",
        "etag:*",
        "provenance.content_digest:*",
        "provenance.derived_from_revisions:*",
        "descends_from(\"" + any_sample + "\")",
    };
    if (sample) {
      for (const std::string& t :
           {std::string("material_lot.origin.supplier = \"S") + std::to_string(Pick(3)) + "\"",
            std::string("NOT material_lot.origin.supplier = \"S") + std::to_string(Pick(3)) + "\"",
            std::string("material_lot.origin.country = \"CA\""), std::string("derived_from:*"),
            "derived_from = \"" + any_sample + "\"",
            "display_name = \"n" + std::to_string(Pick(3)) + "\""}) {
        common.push_back(t);
      }
    } else {
      for (const std::string& t :
           {std::string("results:*"), "results.name = \"r" + std::to_string(Pick(2)) + "\"",
            std::string("curves:*"), std::string("curves.name = \"k1\""),
            "sample = \"" + any_sample + "\"", std::string("technique = BET")}) {
        common.push_back(t);
      }
    }
    return common[Pick(common.size())];
  }

  std::string RandomFilter(bool sample) {
    switch (Pick(4)) {
      case 0:
        return RandomTerm(sample);
      case 1:
        return "(" + RandomTerm(sample) + ") AND (" + RandomTerm(sample) + ")";
      case 2:
        return RandomTerm(sample) + " OR NOT (" + RandomTerm(sample) + ")";
      default:
        return "NOT " + RandomTerm(sample);
    }
  }

  // The model: the filter applied to the views, descends_from() by the walk.
  // Withdraws about one record in seven, as a steward of its owner.
  void WithdrawSome() {
    for (const std::string& name : samples_) {
      if (!Coin(0.15)) continue;
      v1::DeleteSampleRequest req;
      req.set_name(name);
      v1::Sample out;
      ASSERT_TRUE(Client(OwnerOf(name) + "-steward")->DeleteSample(req, &out).ok()) << name;
    }
    for (const std::string& name : characterizations_) {
      if (!Coin(0.15)) continue;
      v1::DeleteCharacterizationRequest req;
      req.set_name(name);
      v1::Characterization out;
      ASSERT_TRUE(Client(OwnerOf(name) + "-steward")->DeleteCharacterization(req, &out).ok())
          << name;
    }
  }

  static std::string OwnerOf(const std::string& name) {
    const size_t a = name.find('/') + 1;
    return name.substr(a, name.find('/', a) - a);
  }

  static bool Withdrawn(const google::protobuf::Message& m) {
    return m.GetReflection()->HasField(m, m.GetDescriptor()->FindFieldByName("delete_time"));
  }

  // The records a List must answer: the filter over the caller's Get views
  // of the collection, withdrawn ones only with `show_deleted`.
  static std::set<std::string> Model(const std::map<std::string, View>& views,
                                     const std::string& filter, const std::string& collection,
                                     bool show_deleted) {
    auto parsed = ParseFilter(filter);
    EXPECT_TRUE(parsed.ok()) << filter;
    std::map<const FilterNode*, std::set<std::string>> sets;
    for (const FilterNode* call : FilterFunctions(parsed->get())) {
      sets[call] = Walk(views, call->value, false);
    }
    FilterFunction functions = [&](const FilterNode& call, const google::protobuf::Message& m) {
      const std::string name =
          m.GetReflection()->GetString(m, m.GetDescriptor()->FindFieldByName("name"));
      return sets[&call].count(name) > 0;
    };
    std::set<std::string> out;
    for (const auto& [name, v] : views) {
      if (name.find("/" + collection + "/") == std::string::npos) continue;
      if (!show_deleted && Withdrawn(*v.message)) continue;
      if (MatchesFilter(parsed->get(), *v.message, functions)) out.insert(name);
    }
    return out;
  }

  template <typename Request, typename Response, typename Items>
  std::set<std::string> List(const std::function<grpc::Status(const Request&, Response*)>& call,
                             const std::function<const Items&(const Response&)>& items,
                             const std::string& filter, bool show_deleted,
                             const std::map<std::string, View>& views, const std::string& what) {
    std::set<std::string> names;
    Request req;
    req.set_parent("institutions/-");
    req.set_filter(filter);
    req.set_show_deleted(show_deleted);
    req.set_page_size(7);
    for (int page = 0; page < 100; ++page) {
      Response resp;
      grpc::Status st = call(req, &resp);
      EXPECT_TRUE(st.ok()) << what << ": " << st.error_message();
      if (!st.ok()) break;
      for (const auto& item : items(resp)) {
        EXPECT_TRUE(names.insert(item.name()).second) << what << ": listed twice";
        auto it = views.find(item.name());
        if (it == views.end()) {
          ADD_FAILURE() << what << ": listed a record Get does not show: " << item.name();
          continue;
        }
        EXPECT_EQ(item.SerializeAsString(), it->second.message->SerializeAsString())
            << what << ": the listed item is not the Get view of " << item.name();
      }
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  }

  void RunSeed(unsigned seed) {
    rng_.seed(seed);
    samples_.clear();
    characterizations_.clear();
    agreements_.clear();
    members_.clear();
    auto admin = Client("admin");
    CreateAgreements(*admin);
    CreateRecords(36);
    if (HasFatalFailure()) return;
    WithdrawSome();
    if (HasFatalFailure()) return;
    std::vector<std::string> callers = {"admin"};
    for (const char* i : kInstitutions) {
      for (const char* r : kRoles) callers.push_back(std::string(i) + "-" + r);
    }
    for (const std::string& who : callers) {
      auto c = Client(who);
      const std::map<std::string, View> views = Views(*c, who);
      for (int f = 0; f < 30; ++f) {
        const bool sample = f % 2 == 0;
        const std::string filter = RandomFilter(sample);
        const bool show_deleted = f % 4 >= 2;
        const std::string what = absl::StrCat("seed ", seed, " ", who, " [", filter, "]",
                                              show_deleted ? " show_deleted" : "");
        std::set<std::string> got;
        if (sample) {
          got = List<v1::ListSamplesRequest, v1::ListSamplesResponse,
                     google::protobuf::RepeatedPtrField<v1::Sample>>(
              [&](const auto& q, auto* out) { return c->ListSamples(q, out); },
              [](const v1::ListSamplesResponse& r) -> const auto& { return r.samples(); }, filter,
              show_deleted, views, what);
        } else {
          got = List<v1::ListCharacterizationsRequest, v1::ListCharacterizationsResponse,
                     google::protobuf::RepeatedPtrField<v1::Characterization>>(
              [&](const auto& q, auto* out) { return c->ListCharacterizations(q, out); },
              [](const v1::ListCharacterizationsResponse& r) -> const auto& {
                return r.characterizations();
              },
              filter, show_deleted, views, what);
        }
        EXPECT_EQ(got, Model(views, filter, sample ? "samples" : "characterizations", show_deleted))
            << what;
        ++cases_;
      }
      for (int k = 0; k < 4; ++k) {
        const std::string root = samples_[Pick(samples_.size())];
        if (!views.count(root)) continue;
        for (bool up : {false, true}) {
          v1::GetLineageRequest req;
          req.set_name(root);
          req.set_direction(up ? v1::LINEAGE_DIRECTION_UP : v1::LINEAGE_DIRECTION_DOWN);
          req.set_max_depth(64);
          v1::Lineage lineage;
          ASSERT_TRUE(c->GetLineage(req, &lineage).ok());
          std::set<std::string> got;
          for (const auto& e : lineage.entries()) got.insert(e.name());
          EXPECT_EQ(got, Walk(views, root, up))
              << "seed " << seed << " " << who << " lineage " << (up ? "up " : "down ") << root;
          ++cases_;
        }
      }
    }
  }
};

TEST_F(ViewInvariantTest, EveryPathAnswersFromTheCallersView) {
  int seeds = 4;
  if (const char* env = std::getenv("BATTERYHUB_VIEW_SEEDS")) seeds = std::max(1, std::atoi(env));
  for (int seed = 1; seed <= seeds; ++seed) {
    if (seed > 1) {  // a fresh hub per seed
      TearDown();
      SetUp();
    }
    RunSeed(static_cast<unsigned>(seed));
    if (HasFatalFailure()) return;
  }
  std::printf("view invariant: %d cases over %d seeds\n", cases_, seeds);
  EXPECT_GT(cases_, 1000);
}

}  // namespace
}  // namespace batteryhub::testing
